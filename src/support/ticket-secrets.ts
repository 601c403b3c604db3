/** Secrets never go into a ticket: a ticket leaves the building. */

const SECRET_KEY = /token|secret|passw|certificate|credential|private|api.?key|app.?key|app.?id|^key$|signature/i;

/** Whether a version or identifier key names something that must stay out of the ticket. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Blanks out the values of secret-looking environment variables, wherever a provider or a template
 * may have let one through.
 */
export function secretScrubber(): (text: string) => string {
  const secrets = Object.entries(process.env)
    .filter(([name, value]) => SECRET_KEY.test(name) && value !== undefined && value.length >= 6)
    .map(([, value]) => value!)
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

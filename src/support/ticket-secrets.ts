/** Secrets never go into a ticket: a ticket leaves the building. */

const SECRET_KEY = /token|secret|passw|cert|credential|private|api.?key|app.?key|app.?id|^key$|signing|sig(nature)?$|auth(?!or)|salt|nonce/i;
// Agora tokens (006…, 007…), JWTs, PEM blocks, and any long opaque string.
const SECRET_VALUE = /^(00[67][A-Za-z0-9+/=_-]{20,}|eyJ[\w-]+\.[\w-]+\.[\w-]*|[A-Za-z0-9+/=_-]{40,})$|-----BEGIN /;
// 32 hex digits is an App ID's shape, and an App Certificate's.
const HEX_32 = /^[0-9a-f]{32}$/i;

/** Whether a version or identifier key names something that must stay out of the ticket. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Whether a value has a secret's shape, whatever its key says: a provider may record a token or a
 * certificate under a name no list foresees. `hex32` allows a 32-hex-digit value (an App ID's shape)
 * where the key says it is the App ID.
 */
export function looksSecretValue(value: string, options: { hex32?: boolean } = {}): boolean {
  const text = value.trim();
  return SECRET_VALUE.test(text) || (HEX_32.test(text) && !options.hex32);
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

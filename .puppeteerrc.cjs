// The browser comes from Debian's chromium (scripts/setup.mjs installs it); puppeteer's own
// download cannot reach its host from the machines this runs on, so it is switched off here
// rather than by an environment variable every user would have to remember.
module.exports = { skipDownload: true };

// whatsapp-web.js depends on puppeteer, whose install would download a browser.
// threaddesk uses the system's Chromium instead (CHROMIUM_PATH).
module.exports = { skipDownload: true }

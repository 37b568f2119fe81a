// How every Playwright config here launches Chromium: Debian's build
// (Playwright never downloads a browser), with nothing reaching for the
// network on this closed machine.
export const launchOptions = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
  ],
};

// Times a page until it has settled, in headless Chromium: tools/browser.py runs this in every
// tab it opens, as `(<this file>)({menu, quiet, timeout})`, before the app's own scripts. So
// the file holds one function expression and nothing after it (no semicolon). `menu` is the
// CSS selector of the menu's entries, `quiet` and `timeout` are in ms.
//
// It defines, in the top frame:
// - `benchFirstLoad`: a promise of how long the page took to settle since its navigation
//   started;
// - `benchMenu()`: the menu's entries, in order, as [title, path] pairs;
// - `benchSwitch(path)`: a click on the menu's entry for `path`, and a promise of how long the
//   page took to settle since.
// Settled: the run that the click (or the visit) started has ended (the server says so),
// nothing on the page is stale, no skeleton waits, and the page has not changed for `quiet`
// ms. Each promise gives two times in ms, {script, settled}: `script`, until the run had ended
// with no leftovers shown; `settled`, until the page's last change was painted (charts and
// tables draw after the run). It rejects when the page has not settled within `timeout` ms.
(options) => {
  if (window.top !== window || window.benchSettled) return;
  const {menu, quiet, timeout} = options;

  // When runs start and end, from the server's messages (ForwardMsg protobufs): field 4 is
  // new_session, a run's start (a fragment's too); field 6 is script_finished: 0 a full run
  // ended, 1 it did not compile, 2 it stopped for a rerun, 3 a fragment's run ended.
  const started = [], ended = [];
  const read = (bytes) => {
    let at = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do { byte = bytes[at++]; value += (byte & 127) * scale; scale *= 128; } while (byte & 128);
      return value;
    };
    while (at < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      const value = wire === 0 || wire === 2 ? varint() : wire === 1 ? 8 : 4;
      if (wire !== 0) at += value;
      if (field === 4) started.push(performance.now());
      if (field === 6 && wire === 0 && value < 2) ended.push(performance.now());
    }
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);  // listening first, before the app does, times each message's arrival
      this.addEventListener("message", ({data}) => {
        if (data instanceof ArrayBuffer) read(new Uint8Array(data));
      });
    }
  };

  const app = () => document.querySelector('[data-testid="stApp"]');
  const state = () => app()?.getAttribute("data-test-script-state");
  const leftovers = '[data-stale="true"], [data-testid="stSkeleton"]';
  const afterPaint = (then) => requestAnimationFrame(() => setTimeout(then, 0));

  // Resolves to two times in ms since `since` (a performance.now() reading; 0 is the
  // navigation's start): `script`, the paint after the first full run that started since then
  // has ended, with the page at `path` showing nothing stale and no skeleton; `settled`, the
  // paint after the page's last change, once it has stayed unchanged for `quiet` ms (a chart
  // drawn after the run included; what a later run, a fragment's on a timer, changes is not).
  window.benchSettled = (path, since, quiet, timeout) => new Promise((resolve, reject) => {
    let over = false, script = null, changed = since, painted = since;
    const end = () => ended.find((time) => time > since);
    const later = () => started.some((time) => time > (end() ?? Infinity));
    const observer = new MutationObserver((records) => {
      if (later()) return;
      // What a canvas holds is never painted (the data grid's table for screen readers).
      const seen = records.some(({target}) => {
        const element = target.nodeType === Node.ELEMENT_NODE ? target : target.parentElement;
        return !element?.closest("canvas");
      });
      if (seen) {
        changed = performance.now();
        afterPaint(() => { painted = performance.now(); });
      }
    });
    observer.observe(document, {subtree: true, childList: true, attributes: true,
                                characterData: true});
    const check = () => {
      const now = performance.now();
      // The app shows the run's end after its last message came; or it had nothing to change.
      const shown = end() < changed || now - end() >= quiet;
      const done = shown && state() === "notRunning" && location.pathname === path
        && !document.querySelector(leftovers);
      if (done && !over) {
        over = true;
        setTimeout(() => { script = performance.now(); }, 0);  // after this frame's paint
      }
      if (script !== null && (done || later()) && now - changed >= quiet && painted >= changed) {
        observer.disconnect();
        resolve({script: script - since, settled: Math.max(script, painted) - since});
      } else if (now - since > timeout) {
        observer.disconnect();
        const seen = {ended: end() !== undefined, state: state(), path: location.pathname,
                      leftovers: document.querySelectorAll(leftovers).length};
        reject(new Error(`${path} not settled in ${timeout} ms: ${JSON.stringify(seen)}`));
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  });

  window.benchFirstLoad = window.benchSettled(location.pathname, 0, quiet, timeout);
  window.benchFirstLoad.catch(() => {});  // read only when timed
  window.benchMenu = () => [...document.querySelectorAll(menu)].map((link) => {
    const label = link.cloneNode(true);
    label.querySelectorAll('[data-testid="stIconMaterial"]').forEach((icon) => icon.remove());
    return [label.textContent.trim(), new URL(link.href).pathname];
  });
  window.benchSwitch = (path) => {
    const link = [...document.querySelectorAll(menu)]
      .find((entry) => new URL(entry.href).pathname === path);
    const since = performance.now();
    const settled = window.benchSettled(path, since, quiet, timeout);
    link.click();
    return settled;
  };
}

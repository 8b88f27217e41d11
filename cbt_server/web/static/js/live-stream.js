// Server-Sent Events with automatic reconnection and a visible connection state.
//
// The server sends a `snapshot` first, then `frame`s ({seq, channel, events}).
// After any break the browser reconnects and the page starts again from a fresh
// snapshot, so nothing is ever shown out of order. EventSource retries by itself
// after a dropped stream; when it gives up (an HTTP error while the server
// restarts) we open a new one, backing off up to 10 s.

const MAX_BACKOFF_MS = 10000;
const STUCK_MS = 15000;

export class LiveStream {
  /**
   * @param {string} url
   * @param {{onSnapshot: Function, onFrame: Function, onState?: Function}} handlers
   */
  constructor(url, { onSnapshot, onFrame, onState }) {
    this.url = url;
    this.onSnapshot = onSnapshot;
    this.onFrame = onFrame;
    this.onState = onState || (() => {});
    this.source = null;
    this.failures = 0;
    this.state = "connecting";
    this.retryTimer = null;
    this.stuckTimer = null;
    this.lastSeq = 0;
  }

  start() {
    this.stop();
    this.setState(this.failures ? "reconnecting" : "connecting");
    const source = new EventSource(this.url);
    this.source = source;
    source.addEventListener("snapshot", (event) => {
      if (source !== this.source) return;
      this.failures = 0;
      this.lastSeq = 0;
      this.setState("live");
      this.onSnapshot(JSON.parse(event.data));
    });
    source.addEventListener("frame", (event) => {
      if (source !== this.source) return;
      const frame = JSON.parse(event.data);
      if (typeof frame.seq === "number") {
        if (frame.seq <= this.lastSeq) return; // a repeat: already applied
        this.lastSeq = frame.seq;
      }
      this.onFrame(frame);
    });
    source.addEventListener("error", () => {
      if (source !== this.source) return;
      this.failures += 1;
      this.setState("reconnecting");
      if (source.readyState === EventSource.CLOSED) this.retryLater();
      else this.watchStuck();
    });
  }

  /** The browser is retrying by itself; if that takes too long, start over. */
  watchStuck() {
    if (this.stuckTimer) return;
    this.stuckTimer = setTimeout(() => {
      this.stuckTimer = null;
      if (this.state !== "live") this.retryLater();
    }, STUCK_MS);
  }

  retryLater() {
    if (this.source) this.source.close();
    clearTimeout(this.retryTimer);
    const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures - 1, 4));
    this.retryTimer = setTimeout(() => this.start(), backoff + Math.random() * 500);
  }

  stop() {
    clearTimeout(this.retryTimer);
    clearTimeout(this.stuckTimer);
    this.stuckTimer = null;
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  setState(state) {
    if (state === "live") {
      clearTimeout(this.stuckTimer);
      this.stuckTimer = null;
    }
    if (state === this.state) return;
    this.state = state;
    this.onState(state);
  }
}

/** Show a stream's state in the page: the pill, the banner and <body data-conn>. */
export function showConnection(state, { pill, banner, t }) {
  document.body.dataset.conn = state;
  if (pill) {
    pill.dataset.state = state;
    pill.dataset.i18n = `conn.${state}`; // re-translated on a language switch
    pill.textContent = t(`conn.${state}`);
  }
  if (banner) banner.hidden = state !== "reconnecting";
}

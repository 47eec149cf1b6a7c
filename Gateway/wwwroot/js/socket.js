// The dashboard socket: connects, hands every message to the page, and reconnects by itself with backoff.

import { token } from "./api.js";

/**
 * Opens /ws/dashboard and keeps it open. onMessage gets each parsed message; onState gets
 * {state: "connecting"|"open"|"lost", attempt, retryInSeconds}.
 */
export function connectDashboard({ onMessage, onState }) {
  let attempt = 0;
  let socket = null;
  let timer = null;
  let stopped = false;

  function url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const t = token();
    return `${scheme}//${location.host}/ws/dashboard${t ? `?access_token=${encodeURIComponent(t)}` : ""}`;
  }

  function open() {
    if (stopped) return;
    onState({ state: "connecting", attempt });
    socket = new WebSocket(url());
    socket.onopen = () => { attempt = 0; onState({ state: "open", attempt }); };
    socket.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      onMessage(message);
    };
    socket.onclose = () => {
      socket = null;
      if (stopped) return;
      attempt += 1;
      // 1 s, 2 s, 4 s ... at most 30 s, with a little jitter so many consoles do not reconnect at once.
      const delay = Math.min(30, 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
      onState({ state: "lost", attempt, retryInSeconds: Math.max(1, Math.round(delay)) });
      timer = setTimeout(open, delay * 1000);
    };
  }

  open();
  return {
    send(message) { if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message)); },
    stop() { stopped = true; clearTimeout(timer); if (socket) socket.close(); },
    reconnectNow() { clearTimeout(timer); if (!socket) open(); },
  };
}

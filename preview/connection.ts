/**
 * The page's websocket to the dev server: says which entry it shows, receives change and state
 * messages, reports the iframe's runtime problems for the terminal. Reconnects after the server
 * restarts (with back-off) and then asks for the state again.
 */
import { DEV_WS_PATH, type DevClientMessage, type DevServerMessage } from '../shared/dev-protocol';

export interface ConnectionEvents {
  message(message: DevServerMessage): void;
  status(connected: boolean): void;
  /** Sent on every (re)connection before anything else. */
  hello(): DevClientMessage;
}

export class Connection {
  private ws: WebSocket | null = null;
  private retry = 250;

  constructor(private readonly events: ConnectionEvents) {
    this.connect();
  }

  private connect(): void {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${DEV_WS_PATH}`);
    this.ws = ws;
    ws.addEventListener('open', () => {
      this.retry = 250;
      this.events.status(true);
      ws.send(JSON.stringify(this.events.hello()));
    });
    ws.addEventListener('message', (e) => {
      try {
        this.events.message(JSON.parse(String(e.data)) as DevServerMessage);
      } catch (error) {
        console.warn('framesmith dev: bad message', error);
      }
    });
    ws.addEventListener('close', () => {
      if (this.ws !== ws) return;
      this.events.status(false);
      setTimeout(() => this.connect(), this.retry);
      this.retry = Math.min(5000, this.retry * 2);
    });
  }

  send(message: DevClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }
}

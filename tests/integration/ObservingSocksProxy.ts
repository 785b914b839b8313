import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { decodeClientFrame, toHex } from '../../core/index.js';

/** One client frame a connection carried, as the proxy read it off the wire. */
export interface ObservedFrame {
  /** The ClientFrame body's case: 'auth', 'sendEnvelope', 'fetchGroupLog', ... */
  readonly kind: string;
  readonly at: number;
  /** For fetchGroupLog and submitGroupOperation: the group it names (hex). */
  readonly groupId?: string;
  /** For auth: the identity key (hex). */
  readonly identityKey?: string;
}

/** One connection through the proxy: who it claimed to be to the proxy, and what it carried. */
export interface ObservedConnection {
  readonly username: string;
  readonly password: string;
  readonly openedAt: number;
  closedAt: number | undefined;
  readonly frames: ObservedFrame[];
}

/**
 * A real SOCKS5 proxy on loopback (RFC 1928 CONNECT with RFC 1929 username/password, the only
 * method it accepts) that records, per connection, the credentials presented and every client
 * frame it carried, read from the WebSocket stream as the relay would see it. Standing in for a
 * network observer in front of the relay, or for the relay itself.
 */
export class ObservingSocksProxy {
  readonly connections: ObservedConnection[] = [];
  /** Clients that connected without offering username/password. */
  refusedWithoutCredentials = 0;
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();

  private constructor(server: net.Server) {
    this.#server = server;
    server.on('connection', (socket) => {
      this.#accept(socket);
    });
  }

  static async start(): Promise<ObservingSocksProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new ObservingSocksProxy(server);
  }

  get url(): string {
    return `socks5://127.0.0.1:${String((this.#server.address() as AddressInfo).port)}`;
  }

  /** Connections that authenticated as `identityKey` (hex). */
  authenticatedAs(identityKey: string): ObservedConnection[] {
    return this.connections.filter((c) =>
      c.frames.some((f) => f.kind === 'auth' && f.identityKey === identityKey),
    );
  }

  /**
   * Connections that carried requests but never authenticated (a registration's first look at
   * the relay's challenge carries none, and is left out).
   */
  anonymous(): ObservedConnection[] {
    return this.connections.filter(
      (c) => c.frames.length > 0 && !c.frames.some((f) => f.kind === 'auth'),
    );
  }

  /** Cuts every connection under way, as a network change would. */
  dropAll(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  #accept(client: net.Socket): void {
    this.#sockets.add(client);
    client.on('close', () => this.#sockets.delete(client));
    client.on('error', () => client.destroy());
    let buffered = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' | 'piped' = 'greeting';
    let credentials = { username: '', password: '' };
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (stage === 'greeting') {
          if (buffered.length < 2) return;
          const count = buffered[1] ?? 0;
          if (buffered.length < 2 + count) return;
          const methods = [...buffered.subarray(2, 2 + count)];
          buffered = buffered.subarray(2 + count);
          if (!methods.includes(0x02)) {
            this.refusedWithoutCredentials++;
            client.end(Buffer.from([0x05, 0xff]));
            return;
          }
          client.write(Buffer.from([0x05, 0x02]));
          stage = 'auth';
        } else if (stage === 'auth') {
          if (buffered.length < 2) return;
          const userLength = buffered[1] ?? 0;
          if (buffered.length < 3 + userLength) return;
          const passLength = buffered[2 + userLength] ?? 0;
          if (buffered.length < 3 + userLength + passLength) return;
          credentials = {
            username: buffered.subarray(2, 2 + userLength).toString('utf8'),
            password: buffered.subarray(3 + userLength, 3 + userLength + passLength).toString(),
          };
          buffered = buffered.subarray(3 + userLength + passLength);
          client.write(Buffer.from([0x01, 0x00]));
          stage = 'request';
        } else if (stage === 'request') {
          const target = readConnectRequest(buffered);
          if (target === undefined) return;
          buffered = buffered.subarray(target.length);
          client.off('data', onData);
          stage = 'piped';
          this.#pipe(client, target.host, target.port, credentials, buffered);
          return;
        } else {
          return;
        }
      }
    };
    client.on('data', onData);
  }

  #pipe(
    client: net.Socket,
    host: string,
    port: number,
    credentials: { username: string; password: string },
    early: Buffer,
  ): void {
    const record: ObservedConnection = {
      ...credentials,
      openedAt: Date.now(),
      closedAt: undefined,
      frames: [],
    };
    this.connections.push(record);
    const reader = new ClientStreamReader(record);
    const upstream = net.connect(port, host, () => {
      // Bound address and port are not needed by the client: zeros.
      client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
      if (early.length > 0) {
        reader.push(early);
        upstream.write(early);
      }
      client.on('data', (chunk: Buffer) => {
        reader.push(chunk);
        upstream.write(chunk);
      });
      upstream.pipe(client);
    });
    this.#sockets.add(upstream);
    const closeBoth = (): void => {
      record.closedAt ??= Date.now();
      client.destroy();
      upstream.destroy();
    };
    upstream.on('close', () => {
      this.#sockets.delete(upstream);
      closeBoth();
    });
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
  }
}

/** Reads a SOCKS5 CONNECT request; undefined until all of it is in. */
function readConnectRequest(
  data: Buffer,
): { host: string; port: number; length: number } | undefined {
  if (data.length < 5) return undefined;
  const type = data[3];
  let hostEnd: number;
  let host: string;
  if (type === 0x01) {
    hostEnd = 8;
    if (data.length < hostEnd + 2) return undefined;
    host = [...data.subarray(4, 8)].join('.');
  } else if (type === 0x03) {
    const length = data[4] ?? 0;
    hostEnd = 5 + length;
    if (data.length < hostEnd + 2) return undefined;
    host = data.subarray(5, hostEnd).toString('utf8');
  } else {
    hostEnd = 20;
    if (data.length < hostEnd + 2) return undefined;
    const groups: string[] = [];
    for (let i = 4; i < 20; i += 2) groups.push(data.readUInt16BE(i).toString(16));
    host = groups.join(':');
  }
  return { host, port: data.readUInt16BE(hostEnd), length: hostEnd + 2 };
}

/**
 * Follows the client's side of a WebSocket stream: the HTTP upgrade request, then masked frames,
 * each binary one decoded as a Kindred ClientFrame into the connection's record.
 */
class ClientStreamReader {
  readonly #record: ObservedConnection;
  #buffer = Buffer.alloc(0);
  #upgraded = false;
  /** A plain HTTP connection (blob transfers): nothing in it is a frame. */
  #plain = false;

  constructor(record: ObservedConnection) {
    this.#record = record;
  }

  push(chunk: Buffer): void {
    if (this.#plain) return;
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (!this.#upgraded) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!/^upgrade: *websocket/im.test(this.#buffer.subarray(0, end).toString('latin1'))) {
        this.#plain = true;
        this.#buffer = Buffer.alloc(0);
        return;
      }
      this.#buffer = this.#buffer.subarray(end + 4);
      this.#upgraded = true;
    }
    for (;;) {
      const frame = this.#nextFrame();
      if (frame === undefined) return;
      if (frame.opcode === 0x02) this.#observe(frame.payload);
    }
  }

  #nextFrame(): { opcode: number; payload: Buffer } | undefined {
    const data = this.#buffer;
    if (data.length < 2) return undefined;
    const opcode = (data[0] ?? 0) & 0x0f;
    const masked = ((data[1] ?? 0) & 0x80) !== 0;
    let length = (data[1] ?? 0) & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (data.length < 4) return undefined;
      length = data.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (data.length < 10) return undefined;
      length = Number(data.readBigUInt64BE(2));
      offset = 10;
    }
    const mask = masked ? data.subarray(offset, offset + 4) : undefined;
    if (masked) offset += 4;
    if (data.length < offset + length) return undefined;
    const payload = Buffer.from(data.subarray(offset, offset + length));
    if (mask !== undefined) {
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    }
    this.#buffer = data.subarray(offset + length);
    return { opcode, payload };
  }

  #observe(payload: Buffer): void {
    const body = decodeClientFrame(new Uint8Array(payload)).body;
    const at = Date.now();
    switch (body.case) {
      case 'auth':
        this.#record.frames.push({ kind: 'auth', at, identityKey: toHex(body.value.identityKey) });
        return;
      case 'fetchGroupLog':
        this.#record.frames.push({ kind: body.case, at, groupId: toHex(body.value.groupId) });
        return;
      case 'submitGroupOperation':
        this.#record.frames.push({ kind: body.case, at });
        return;
      default:
        this.#record.frames.push({ kind: String(body.case), at });
    }
  }
}

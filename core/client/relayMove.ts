import type { ClientProfileData } from './ClientProfile.js';
import type { KindredClientOptions } from './clientOptions.js';
import { connectionTimeouts } from './clientOptions.js';
import { RelayConnection } from './RelayConnection.js';
import { checkRelayUrl } from './relayUrl.js';
import type { SocksProxy } from './SocksProxy.js';

/**
 * The profile of a persona whose relay moved to `url`, once the relay there proved to be the one
 * pinned: connects to `url` and checks it presents the pinned trust root and relay id
 * (CORE_RELAY_MISMATCH otherwise; CORE_RELAY_UNREACHABLE when nothing answers). Plain ws:// is
 * refused for a remote host unless the persona was set up with insecure transport allowed.
 * Stores nothing: the caller stores the profile and reconnects.
 */
export async function probeRelayMove(
  current: ClientProfileData,
  url: string,
  connect: { readonly proxy?: SocksProxy; readonly options: KindredClientOptions },
): Promise<ClientProfileData> {
  checkRelayUrl(url, { allowInsecureTransport: current.allowInsecureTransport });
  const probe = await RelayConnection.open({
    url,
    allowInsecureTransport: current.allowInsecureTransport,
    pin: { trustRoot: current.trustRoot, relayId: current.relayId },
    ...(connect.proxy === undefined ? {} : { proxy: connect.proxy }),
    ...connectionTimeouts(connect.options),
  });
  probe.close();
  return { ...current, relayUrl: url };
}

// Preloaded (node --import) into a command that must not touch the network: any TCP connection
// or DNS lookup it tries ends the process with exit code 97 and one line on stderr, so a test
// sees it. Local IPC through a Unix socket path (tsx's loader uses one) is not the network.
import dns from 'node:dns';
import net from 'node:net';

function refuse() {
  process.stderr.write('noNetwork: the command tried to use the network\n');
  process.exit(97);
}

/** The path of a Unix-socket connect, whichever of net's argument forms it came in. */
function socketPath(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'string') return first;
  if (first !== null && typeof first === 'object' && typeof first.path === 'string') {
    return first.path;
  }
  return undefined;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  if (socketPath(args) === undefined) refuse();
  return connect.apply(this, args);
};
dns.lookup = refuse;
dns.promises.lookup = refuse;

// The floor of the streaming and parsing rows: the least any Node.js program does to get the same
// replies through a pipe. Like socat, it sends the whole script at once (Dovecot takes pipelined
// commands), never half-closes, and copies the socket to standard output until the server closes.
// What mailwire costs beyond this is its own; what this costs beyond socat is the runtime's.
// Usage: node bench/node-copy-client.mjs PORT < script
import { connect } from 'node:net';

const [port] = process.argv.slice(2);
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const socket = connect(Number(port), '127.0.0.1', () => socket.write(Buffer.concat(chunks)));
  socket.pipe(process.stdout);
  socket.on('error', (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
});

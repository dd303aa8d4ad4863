// The replay benchmark's reference: the least a lock-step IMAP client can do. It logs in, sends
// NOOP after NOOP, each only once the tagged reply to the one before has come, and logs out.
// Usage: node bench/lockstep-client.mjs PORT COUNT USER PASSWORD
import { connect } from 'node:net';

const [port, count, user, password] = process.argv.slice(2);
const socket = connect(Number(port), '127.0.0.1');
const commands = [`a0 LOGIN ${user} ${password}`];
for (let i = 1; i <= Number(count); i++) commands.push(`a${i} NOOP`);
commands.push(`a${Number(count) + 1} LOGOUT`);
let next = 0;
let waitingFor = null;
let buffered = '';
socket.on('data', (chunk) => {
  buffered += chunk.toString('latin1');
  let end;
  while ((end = buffered.indexOf('\r\n')) >= 0) {
    const line = buffered.slice(0, end);
    buffered = buffered.slice(end + 2);
    process.stdout.write(`${line}\n`);
    // The greeting (first line), or the tagged reply awaited: send the next command.
    if ((waitingFor === null && next === 0) || (waitingFor !== null && line.startsWith(`${waitingFor} `))) {
      if (next === commands.length) continue;
      const command = commands[next++];
      waitingFor = command.split(' ')[0];
      socket.write(`${command}\r\n`);
    }
  }
});
socket.on('close', () => process.exit(next === commands.length ? 0 : 1));

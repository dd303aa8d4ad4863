// A server that costs as little as a server can: it greets, answers every IMAP command line with a
// fixed tagged OK (LOGOUT with BYE and OK, then closes), and nothing else. Replays measured against
// it show the client's own cost, which a real server's latency hides.
// Usage: node bench/fixed-reply-server.mjs  (prints its port, serves until killed)
import { createServer } from 'node:net';

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.write('* OK fixed-reply server ready\r\n');
  let buffered = '';
  socket.on('data', (chunk) => {
    buffered += chunk.toString('latin1');
    let end;
    let out = '';
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const [tag, command = ''] = line.split(' ', 2);
      if (command.toUpperCase() === 'LOGOUT') {
        socket.end(`${out}* BYE logging out\r\n${tag} OK LOGOUT completed\r\n`);
        return;
      }
      out += `${tag} OK ${command.toUpperCase()} completed\r\n`;
    }
    if (out !== '') socket.write(out);
  });
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));

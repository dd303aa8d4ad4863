// A server that costs as little as a server can: it greets, answers every IMAP command line with a
// fixed tagged OK (LOGOUT with BYE and OK, then closes), and nothing else. Replays measured against
// it show the client's own cost, which a real server's latency hides.
// Given a file of FETCH responses (one a line, as a real server sent them), it answers FETCH with
// them, in one write made once at start, numbered again and repeated up to COUNT responses if COUNT
// is given: a client reading them shows its own cost per response, without the server's.
// Usage: node bench/fixed-reply-server.mjs [FETCH-RESPONSES [COUNT]]  (prints its port, serves until killed)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const [responsesFile, countArgument] = process.argv.slice(2);
const fetchReply = responsesFile === undefined ? Buffer.alloc(0) : fetchResponses(responsesFile, countArgument);

/** The file's `* n FETCH (... UID n ...)` lines, n running on from 1 over as many rounds as COUNT needs. */
function fetchResponses(file, count) {
  const lines = readFileSync(file, 'latin1').split(/\r?\n/).filter((line) => /^\* \d+ FETCH \(/.test(line));
  if (lines.length === 0) throw new Error(`${file}: no FETCH responses`);
  const wanted = count === undefined ? lines.length : Number(count);
  const out = [];
  for (let n = 1; n <= wanted; n++) {
    const line = lines[(n - 1) % lines.length];
    out.push(`${line.replace(/^\* \d+ FETCH \(/, `* ${n} FETCH (`).replace(/ UID \d+/, ` UID ${n}`)}\r\n`);
  }
  return Buffer.from(out.join(''), 'latin1');
}

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
      const name = command.toUpperCase();
      if (name === 'LOGOUT') {
        socket.end(`${out}* BYE logging out\r\n${tag} OK LOGOUT completed\r\n`);
        return;
      }
      if (name === 'FETCH' && fetchReply.length > 0) {
        // The responses and the tagged OK go out in one write, so no Nagle wait sits between them.
        socket.write(Buffer.concat([Buffer.from(out, 'latin1'), fetchReply, Buffer.from(`${tag} OK FETCH completed\r\n`)]));
        out = '';
        continue;
      }
      out += `${tag} OK ${name} completed\r\n`;
    }
    if (out !== '') socket.write(out);
  });
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));

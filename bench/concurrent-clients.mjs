// The concurrent-clients benchmark's driver: COUNT IMAP clients at once, from one cheap process, so
// that the client's cost is the same whichever server it drives. Each client, in lock-step, logs in,
// selects INBOX, fetches every ENVELOPE, appends a small message to a mailbox of its own (a
// synchronizing literal: it waits for "+") and logs out. Exits 0 when every client got OK for every command, 1 otherwise.
// With HOLD_MS > 0, every client waits after its APPEND until all have come that far, the driver
// prints "holding" and keeps all connections open HOLD_MS milliseconds before they log out: the
// moment to measure the servers' memory with every connection in use.
// Usage: node bench/concurrent-clients.mjs PORT COUNT USER PASSWORD [HOLD_MS]
import { connect } from 'node:net';

const [port, count, user, password, holdMs = '0'] = process.argv.slice(2);
const total = Number(count);
const message = 'From: bench@example.org\r\nTo: joe@example.org\r\nSubject: concurrent\r\n\r\nA small message.\r\n';
const stepsOf = (index) => [
  `LOGIN ${user} ${password}`,
  'SELECT INBOX',
  'FETCH 1:* ENVELOPE',
  `APPEND Bench${index} {${Buffer.byteLength(message)}}`,
  'LOGOUT',
];
const APPEND = 3;
const LOGOUT = 4;
let finished = 0;
let failed = 0;
let atBarrier = 0;
const waiting = [];
let received = 0;

/** One more client has come to the barrier (or will never come): all there, hold, then go on. */
function arrived() {
  if (++atBarrier !== total) return;
  process.stdout.write('holding\n');
  setTimeout(() => waiting.splice(0).forEach((go) => go()), Number(holdMs));
}

function client(index) {
  const steps = stepsOf(index);
  const socket = connect(Number(port), '127.0.0.1');
  socket.setNoDelay(true);
  let buffered = '';
  let step = -1;
  let ok = true;
  const send = (index) => {
    step = index;
    socket.write(`a${index} ${steps[index]}\r\n`);
  };
  const next = () => {
    if (step + 1 === LOGOUT && Number(holdMs) > 0) {
      waiting.push(() => send(LOGOUT));
      arrived();
      return;
    }
    send(step + 1);
  };
  socket.on('data', (chunk) => {
    received += chunk.length;
    buffered += chunk.toString('latin1');
    let end;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      // The greeting (Dovecot may first say it waits for its auth process), a "+", or the completion.
      if (step === -1) {
        if (line.startsWith('* OK') && !line.includes('Waiting for authentication')) next();
      } else if (line.startsWith('+') && step === APPEND) {
        socket.write(`${message}\r\n`);
      } else if (line.startsWith(`a${step} `)) {
        if (!line.startsWith(`a${step} OK`)) {
          ok = false;
          process.stderr.write(`client: ${line}\n`);
        }
        if (step < LOGOUT && ok) next();
      }
    }
  });
  socket.on('error', (error) => {
    ok = false;
    process.stderr.write(`client: ${error.message}\n`);
  });
  socket.on('close', () => {
    if (!ok || step !== LOGOUT) {
      failed++;
      // A client that will not come to the barrier must not keep the others waiting there.
      if (Number(holdMs) > 0 && step < APPEND + 1) arrived();
    }
    if (++finished === total) {
      process.stdout.write(`${total - failed} of ${total} clients done, ${received} octets received\n`);
      process.exit(failed === 0 ? 0 : 1);
    }
  });
}

// The mailboxes the clients append to, one each, made once before they start (a NO says it is there
// already): INBOX, which they fetch, stays the same from run to run, and no two clients write to one
// mailbox (Dovecot would make them wait in turn for its lock on it).
const setup = connect(Number(port), '127.0.0.1');
let setupBuffered = '';
let setupStep = 0;
const setupLines = [`s1 LOGIN ${user} ${password}`, ...Array.from({ length: total }, (_, i) => `s${i + 2} CREATE Bench${i + 1}`), `s${total + 2} LOGOUT`];
setup.on('data', (chunk) => {
  setupBuffered += chunk.toString('latin1');
  let end;
  while ((end = setupBuffered.indexOf('\r\n')) >= 0) {
    const line = setupBuffered.slice(0, end);
    setupBuffered = setupBuffered.slice(end + 2);
    const greeting = setupStep === 0 && line.startsWith('* OK') && !line.includes('Waiting for authentication');
    if (greeting || (setupStep > 0 && line.startsWith(`s${setupStep} `))) {
      if (setupStep < setupLines.length) setup.write(`${setupLines[setupStep++]}\r\n`);
    }
  }
});
setup.on('close', () => {
  for (let i = 1; i <= total; i++) client(i);
});

/**
 * The interactive shell, driven through a real terminal (tmux) against a real Dovecot, as a person
 * would use it: completion and hints, the prompt changing with LOGIN and SELECT, a password typed
 * without echo, IDLE output arriving while a line is being typed, a literal abandoned with Ctrl-C
 * leaving the session in step and the mailbox untouched, APPEND of a file, Ctrl-D logging out, and
 * what the history file keeps. Needs the built command (npm test builds it first). tmux drops the
 * blanks at the end of a line, so a prompt reads "A001>" here.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeDovecot } from '../support/dovecot.js';
import { startTerminal, tmuxAvailable, type Terminal } from '../support/tmux.js';

const ci = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());

if (!tmuxAvailable()) {
  if (ci) {
    describe('the interactive shell in a terminal', () => {
      it('needs tmux (apt-get install tmux)', () => {
        throw new Error('tmux is not installed: the shell tests need it (apt-get install tmux)');
      });
    });
  } else {
    console.warn('\n*** SKIPPED: the interactive shell tests need tmux (apt-get install tmux) ***\n');
    describe.skip('the interactive shell in a terminal (tmux not installed)', () => undefined);
  }
} else {
  describeDovecot('the interactive shell in a terminal, against Dovecot', (dovecot) => {
    let terminals: Terminal[] = [];
    afterEach(() => {
      for (const t of terminals) t.close();
      terminals = [];
    });

    function shell(target: string, ...options: string[]): { t: Terminal; state: string; dir: string } {
      const dir = mkdtempSync(join(tmpdir(), 'mailwire-shell-'));
      const state = join(dir, 'state');
      const t = startTerminal([target, ...options], { HOME: dir, XDG_STATE_HOME: state });
      terminals.push(t);
      return { t, state, dir };
    }

    it('runs an IMAP session: completion, hints, hidden password, prompt by state, IDLE while typing, literals, Ctrl-D', async () => {
      const { imapPort } = dovecot();
      const { t, state, dir } = shell(`imap://127.0.0.1:${imapPort}`);
      const host = `127.0.0.1:${imapPort}`;
      await t.waitForCursorLine(new RegExp(`^imap ${host} not authenticated A001>$`), 'the first prompt');

      // Completion knows the commands of the state; a hint shows the syntax of what is typed.
      t.type('LOGI');
      t.press('Tab');
      await t.waitForCursorLine(/A001> LOGIN userid password$/, 'LOGIN completed, with its syntax as a hint');
      t.type('mrose');
      t.press('Enter');
      await t.waitFor(/IMAP password for mrose:$/m, 'the password question');
      t.type('tanstaaf');
      t.press('Enter');
      await t.waitForCursorLine(new RegExp(`^imap mrose@${host} authenticated A002>$`), 'the prompt after LOGIN');
      // Nothing was echoed after the question: the next line is already the command sent.
      expect(t.screen()).toMatch(/IMAP password for mrose:\nC: A001 LOGIN mrose <secret>\n/);
      expect(t.screen()).not.toContain('tanstaaf');

      t.type('SELE');
      t.press('Tab');
      await t.waitForCursorLine(/A002> SELECT mailbox$/, 'SELECT completed, its argument hinted');
      t.type('IN');
      t.press('Tab');
      await t.waitForCursorLine(/A002> SELECT INBOX$/, 'INBOX completed');
      t.press('Enter');
      await t.waitForCursorLine(new RegExp(`^imap mrose@${host} INBOX \\[rw\\] A003>$`), 'the prompt after SELECT');
      expect(t.screen()).toMatch(/S: A002 OK \[READ-WRITE\] Select completed .*\(\d+ ms\)/);

      t.type('FETCH ');
      await t.waitForCursorLine(/A003> FETCH sequence-set \(items\)$/, 'the FETCH hint');
      t.press('C-c');
      await t.waitForCursorLine(/A003>$/, 'the line cleared by Ctrl-C');

      // IDLE: a message arrives while DONE is half typed; the output goes above, the line stays.
      t.type('IDLE');
      t.press('Enter');
      await t.waitForCursorLine(/INBOX \[rw\] IDLE, DONE ends it>$/, 'the IDLE prompt');
      t.type('DO');
      await t.waitForCursorLine(/IDLE, DONE ends it> DO$/, 'DO typed');
      dovecot().deliver('mrose', 'From: a@example.org\r\nSubject: while idling\r\n\r\nhello\r\n');
      await t.waitFor(/S: \* 1 EXISTS/, 'the EXISTS pushed during IDLE');
      await t.waitForCursorLine(/IDLE, DONE ends it> DO$/, 'the half-typed DONE, intact under the new output');
      t.type('NE');
      t.press('Enter');
      await t.waitFor(/C: DONE\nS: A003 OK Idle completed/, 'IDLE ended');

      // A literal typed by hand, abandoned with Ctrl-C: nothing reaches the server.
      t.type('APPEND INBOX {40}');
      t.press('Enter');
      await t.waitForCursorLine(/^literal \{40\}, 40 octets left>$/, 'the literal prompt');
      t.type('Subject: half');
      t.press('Enter');
      await t.waitForCursorLine(/^literal \{40\}, 25 octets left>$/, 'octets counted, CRLF included');
      t.type('and a partial line');
      t.press('C-c');
      await t.waitFor(/literal abandoned: nothing of "APPEND INBOX \{40\}" was sent/, 'the literal abandoned');
      await t.waitForCursorLine(/INBOX \[rw\] A004>$/, 'the command prompt back, tag unused');
      t.type('STATUS INBOX (MESSAGES)');
      t.press('Enter');
      await t.waitFor(/S: A004 OK .*Status.* completed/, 'the session still in step');
      expect(t.screen()).toMatch(/S: \* STATUS INBOX \(MESSAGES 1\)/);
      expect(t.screen()).not.toMatch(/C: A00\d APPEND/);

      // A literal from a file: the size is computed, the "+" comes, the message is stored.
      const message = 'Subject: from a file\r\n\r\nHello.\r\n';
      writeFileSync(join(dir, 'msg.eml'), message);
      t.type(`APPEND INBOX {file:${join(dir, 'msg.eml')}}`);
      t.press('Enter');
      await t.waitFor(/S: A005 OK \[APPENDUID \d+ 2\] Append completed/, 'the APPEND of the file');
      expect(t.screen()).toContain(`C: A005 APPEND INBOX {${message.length}}\nS: + OK\nC: Subject: from a file`);

      // Decoded views in the shell too: the BODYSTRUCTURE tree.
      t.type('FETCH 2 BODYSTRUCTURE');
      t.press('Enter');
      await t.waitFor(/#   BODYSTRUCTURE of message 2:\n#     \[1\] text\/plain; charset=us-ascii, 7bit, 8 octets, 1 line/, 'the tree');

      // Ctrl-D: LOGOUT, then the shell ends with status 0.
      t.press('C-d');
      await t.waitFor(/C: A007 LOGOUT\nS: \* BYE Logging out\nS: A007 OK Logout completed/, 'the LOGOUT of Ctrl-D');
      expect(await t.exitStatus()).toBe(0);

      const historyFile = join(state, 'mailwire', 'history-imap');
      const history = readFileSync(historyFile, 'utf8');
      expect(history).toBe(
        ['LOGIN mrose', 'SELECT INBOX', 'IDLE', 'DONE', 'APPEND INBOX {40}', 'STATUS INBOX (MESSAGES)', `APPEND INBOX {file:${join(dir, 'msg.eml')}}`, 'FETCH 2 BODYSTRUCTURE', ''].join('\n'),
      );
      expect(history).not.toContain('tanstaaf');
      expect(history).not.toContain('Subject: half');
      expect(statSync(historyFile).mode & 0o777).toBe(0o600);
    });

    it('sends an unknown command with a remark naming the one meant; a blank line sends nothing', async () => {
      const { imapPort } = dovecot();
      const { t } = shell(`imap://127.0.0.1:${imapPort}`);
      await t.waitForCursorLine(/not authenticated A001>$/, 'the first prompt');
      t.type('SELCT INBOX');
      t.press('Enter');
      await t.waitFor(/# unknown command SELCT: did you mean SELECT\?\nC: A001 SELCT INBOX\nS: A001 BAD /, 'the remark, then the command sent all the same');
      t.press('Enter');
      t.type('   ');
      t.press('Enter');
      t.type('MYRIGHTS INBOX');
      t.press('Enter');
      await t.waitFor(/C: A002 MYRIGHTS INBOX\nS: A002 (BAD|NO) /, 'the next command, with the next tag');
      expect(t.screen()).not.toMatch(/Null command|C: A00\d *\n/);
      expect(t.screen()).not.toContain('unknown command MYRIGHTS');
      t.press('C-d');
      expect(await t.exitStatus()).toBe(0);
    });

    it('.tls over implicit TLS shows the chain as the server sent it, and what the trust store added', async () => {
      const { imapsPort, caFile } = dovecot();
      const { t } = shell(`imaps://127.0.0.1:${imapsPort}`, '--ca', caFile);
      await t.waitForCursorLine(/not authenticated A001>$/, 'the first prompt');
      t.type('.tls');
      t.press('Enter');
      await t.waitFor(/^the server sent 1 certificate:\ncertificate 1 \(server\): CN=localhost, O=mailwire tests$/m, 'the sent chain');
      await t.waitFor(/^not sent by the server, added from the local trust store \(--ca, the system's CAs\):\ncertificate 2 \(root CA\): CN=mailwire test CA \(self-signed\)$/m, 'the root, from the store');
      t.press('C-d');
      expect(await t.exitStatus()).toBe(0);
    });

    it('recalls history across runs; a password typed on the line is kept as <secret> and asked for again', async () => {
      const { imapPort } = dovecot();
      const first = shell(`imap://127.0.0.1:${imapPort}`);
      await first.t.waitForCursorLine(/A001>$/, 'the first prompt');
      first.t.type('LOGIN mrose tanstaaf');
      first.t.press('Enter');
      await first.t.waitForCursorLine(/authenticated A002>$/, 'logged in');
      first.t.press('C-d');
      expect(await first.t.exitStatus()).toBe(0);
      expect(readFileSync(join(first.state, 'mailwire', 'history-imap'), 'utf8')).toBe('LOGIN mrose <secret>\n');

      const t = startTerminal([`imap://127.0.0.1:${imapPort}`], { HOME: first.dir, XDG_STATE_HOME: first.state });
      terminals.push(t);
      await t.waitForCursorLine(/A001>$/, 'the first prompt');
      t.press('Up');
      await t.waitForCursorLine(/A001> LOGIN mrose <secret>$/, 'the line recalled');
      t.press('Enter');
      await t.waitFor(/IMAP password for mrose:$/m, 'the password asked again');
      t.type('tanstaaf');
      t.press('Enter');
      await t.waitForCursorLine(/authenticated A002>$/, 'logged in again');
      expect(t.screen()).not.toContain('tanstaaf');
    });

    it('runs a SASL login the way scripted use does: AUTHENTICATE SCRAM-SHA-256 asks for the user name (echoed) and the password (not)', async () => {
      const { imapPort } = dovecot();
      const { t } = shell(`imap://127.0.0.1:${imapPort}`);
      await t.waitForCursorLine(/A001>$/, 'the first prompt');
      t.type('AUTHENTICATE SCRAM-SHA-256');
      t.press('Enter');
      await t.waitForCursorLine(/^SCRAM-SHA-256 user name:$/, 'the user name question');
      t.type('mrose');
      await t.waitForCursorLine(/^SCRAM-SHA-256 user name: mrose$/, 'the user name echoed');
      t.press('Enter');
      await t.waitForCursorLine(/^SCRAM-SHA-256 password for mrose:$/, 'the password question');
      t.type('tanstaaf');
      t.press('Enter');
      await t.waitForCursorLine(/mrose@127\.0\.0\.1:\d+ authenticated A00\d>$/, 'logged in');
      expect(t.screen()).toMatch(/S: A00\d OK .*Logged in/);
      expect(t.screen()).not.toContain('tanstaaf');
    });

    it('runs the POP3 APOP session of RFC 1939: secret without echo, STAT, LIST, RETR with message numbers completed, QUIT on Ctrl-D', async () => {
      const { pop3Port } = dovecot();
      dovecot().deliver('joe', 'From: a@example.org\r\nSubject: pop\r\n\r\n.dot-stuffed line\r\n');
      const { t, state } = shell(`pop3://127.0.0.1:${pop3Port}`);
      const host = `127.0.0.1:${pop3Port}`;
      await t.waitForCursorLine(new RegExp(`^pop3 ${host} AUTHORIZATION>$`), 'the first prompt');
      t.type('APOP joe');
      t.press('Enter');
      await t.waitFor(/APOP secret for joe:$/m, 'the secret question');
      t.type('password');
      t.press('Enter');
      await t.waitForCursorLine(new RegExp(`^pop3 joe@${host} TRANSACTION>$`), 'the TRANSACTION prompt');
      expect(t.screen()).toMatch(/C: APOP joe [0-9a-f]{32}\nS: \+OK Logged in/);
      t.type('STAT');
      t.press('Enter');
      await t.waitFor(/S: \+OK 1 \d+/, 'STAT');
      t.type('LIST');
      t.press('Enter');
      await t.waitFor(/S: 1 \d+\nS: \./, 'LIST');
      t.type('RETR ');
      t.press('Tab');
      await t.waitForCursorLine(/TRANSACTION> RETR 1$/, 'the message number completed');
      t.press('Enter');
      await t.waitFor(/S: \.\.dot-stuffed line\nS: \./, 'the message, its stuffed line as on the wire');
      t.press('C-d');
      await t.waitFor(/C: QUIT\nS: \+OK Logging out/, 'QUIT');
      expect(await t.exitStatus()).toBe(0);
      expect(readFileSync(join(state, 'mailwire', 'history-pop3'), 'utf8')).toBe('APOP joe\nSTAT\nLIST\nRETR 1\n');
    });
  });
}

/**
 * The messages the replay tests put into a server before a session, the same bytes every time, so that
 * a session recorded on one server replays on another started fresh with the same seed. Taken from
 * RFC 3501 §6.3.11's example and from what mail in the wild looks like (encoded words, a PDF
 * attachment, lines that start with dots).
 */
export const SEED_MESSAGES: Readonly<Record<'joe' | 'mrose', readonly string[]>> = {
  joe: [
    'From: Fred Foobar <foobar@Blurdybloop.example>\r\nTo: joe@example.org\r\nSubject: afternoon meeting\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-ID: <B27397-0100000@Blurdybloop.example>\r\nMIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n',
    'From: =?UTF-8?Q?Andr=C3=A9?= <andre@example.org>\r\nTo: joe@example.org\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus =?ISO-8859-1?Q?K=F6ln?=\r\nDate: Tue, 1 Oct 2024 10:00:00 +0200\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo\r\n--b1\r\nContent-Type: application/pdf; name="=?UTF-8?Q?Rechnung=E2=82=AC=2Epdf?="\r\nContent-Disposition: attachment; filename*=UTF-8\'\'Rechnung%E2%82%AC.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n',
    'From: joe@example.org\r\nTo: joe@example.org\r\nSubject: dots\r\nDate: Wed, 2 Oct 2024 10:00:00 +0000\r\n\r\n.leading dot line\r\n..two dots\r\n.\r\nend\r\n',
  ],
  mrose: [
    'From: a@example.org\r\nTo: mrose@example.org\r\nSubject: one\r\nDate: Thu, 3 Oct 2024 10:00:00 +0000\r\n\r\nfirst message\r\n',
    'From: b@example.org\r\nTo: mrose@example.org\r\nSubject: two\r\nDate: Fri, 4 Oct 2024 10:00:00 +0000\r\n\r\nsecond message\r\n.dot line\r\n',
  ],
};

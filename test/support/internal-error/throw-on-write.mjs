// A preload (`node --import`) that makes a bug happen in the built command: the first write to
// standard output throws (THROW_ON_WRITE=now, inside main()) or, after it is written, an error is
// thrown from the event loop (THROW_ON_WRITE=later, past main()'s try/catch). Each message holds
// terminal controls, as an error quoting a server's bytes would.
const write = process.stdout.write.bind(process.stdout);
let first = true;
process.stdout.write = (...args) => {
  if (first) {
    first = false;
    if (process.env.THROW_ON_WRITE === 'now') throw new TypeError('boom \x1b[31mred\x1b]0;title\x07');
    setImmediate(() => {
      throw new RangeError('late \x1b[2J\x9b0m');
    });
  }
  return write(...args);
};

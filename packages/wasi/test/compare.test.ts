// Runs each example program under this package's WASI and under Node's `node:wasi`, each in
// its own temporary directory, and demands the same stdout, stderr, exit code and files.
import { describe, expect, it } from 'vitest';
import { run, snapshotTree, tempDir } from './harness.ts';
import type { Implementation } from './harness.ts';

function both(program: string, options: Parameters<typeof run>[2] = {}) {
  return (['flint', 'node'] as Implementation[]).map((implementation) => run(implementation, program, options));
}

describe('same behaviour as node:wasi', () => {
  it('cat: copies stdin to stdout and reports on stderr', () => {
    const input = 'line one\nline two\n'.repeat(1000) + 'ünïcødé\n';
    const [flint, node] = both('cat', { stdin: input });
    expect(flint!.stdout).toBe(input);
    expect(flint!.stderr).toBe(`copied ${Buffer.byteLength(input)} bytes\n`);
    expect(flint!.exitCode).toBe(0);
    expect(flint).toEqual(node);
  });

  it('args: argv, environ and the exit code given to exit()', () => {
    const options = { args: ['args', '7', 'two words', 'ünï'], env: { HOME: '/home/guest', LANG: 'C', EMPTY: '' } };
    const [flint, node] = both('args', options);
    expect(flint!.exitCode).toBe(7);
    expect(flint!.stdout).toBe(
      'argc=4\nargv[0]=args\nargv[1]=7\nargv[2]=two words\nargv[3]=ünï\n' +
        'env EMPTY=\nenv HOME=/home/guest\nenv LANG=C\nHOME=/home/guest\n',
    );
    expect(flint!.stderr).toBe('to stderr\n');
    expect(flint).toEqual(node);
  });

  it('args: exit code 0 when main returns and no arguments', () => {
    const [flint, node] = both('args', { args: ['args'] });
    expect(flint!.exitCode).toBe(0);
    expect(flint!.stdout).toBe('argc=1\nargv[0]=args\nHOME=(unset)\n');
    expect(flint).toEqual(node);
  });

  it('files: the same output and the same resulting directory tree', () => {
    const trees = (['flint', 'node'] as Implementation[]).map((implementation) => {
      const sandbox = tempDir(`files-${implementation}`);
      const result = run(implementation, 'files', { preopens: { '/sandbox': sandbox } });
      return { result, tree: snapshotTree(sandbox) };
    });
    const [flint, node] = trees;
    expect(flint!.result.stdout).toContain('failures: 0');
    expect(flint!.result.exitCode).toBe(0);
    expect(flint!.tree).toEqual([
      'file data.bin "0123xyz"',
      'file hard.txt "hel"',
      'link soft -> sub/greeting.txt',
      'dir sub',
      'file sub/greeting.txt "hel"',
    ]);
    // Opening a symlink with O_NOFOLLOW must fail with ELOOP (32), as POSIX and the WASI
    // testsuite require; Node's uvwasi follows the link and opens the file, a known gap, so
    // that one line is checked against the spec and only the rest is compared with Node.
    const spec = 'open O_NOFOLLOW on a symlink: failed errno 32\n';
    const nodeGap = 'open O_NOFOLLOW on a symlink: opened\n';
    expect(flint!.result.stdout).toContain(spec);
    expect(node!.result.stdout).toContain(nodeGap);
    expect(flint!.result).toEqual({ ...node!.result, stdout: node!.result.stdout.replace(nodeGap, spec) });
    expect(flint!.tree).toEqual(node!.tree);
  });

  it('clock: every clock readable and sleeps last as long as asked', () => {
    const [flint, node] = both('clock');
    expect(flint!.stdout).toBe(
      'monotonic res > 0: 1\nrealtime res > 0: 1\nrealtime after 2020: 1\nprocess cputime readable: 1\n' +
        'thread cputime readable: 1\nnanosleep ok: 1\nslept >= 20ms: 1\n',
    );
    // The sleep length is asserted for our WASI only (it waits on the monotonic clock until the
    // deadline has passed). Node sleeps on a libuv millisecond timer, and one loaded run of this
    // suite saw this comparison fail, so Node's verdict on that line is not held against it.
    const withoutSleep = (stdout: string) => stdout.replace(/slept >= 20ms: \d\n/, '');
    expect({ ...flint!, stdout: withoutSleep(flint!.stdout) }).toEqual({ ...node!, stdout: withoutSleep(node!.stdout) });
  });

  // Node's uvwasi treats an absolute clock subscription as relative (it would wait for the
  // 60 s timer instead), so this part runs only against the spec's expectation: the absolute
  // deadline 10 ms ahead fires (userdata 42), the relative 60 s one does not.
  it('clock: poll_oneoff honours subscription_clock_abstime', () => {
    const flint = run('flint', 'clock', { args: ['clock', 'poll-abstime'] });
    expect(flint.stdout).toContain('poll: errno 0, events 1, userdata 42, type 0, waited >= 10ms: 1\n');
    expect(flint.exitCode).toBe(0);
  });

  it('random: random_get fills buffers with fresh bytes', () => {
    const [flint, node] = both('random');
    expect(flint!.stdout).toBe('getentropy ok: 1\ndraws differ in most bytes: 1\n');
    expect(flint).toEqual(node);
  });
});

/**
 * What the app logs through `z.console` (core's logger writes it to `console.log` in tests) is captured per
 * test instead of printed: a test that expects a log line asserts it with {@link appLog}. Both test
 * projects' setups install this. Replaced by hand: `jest.spyOn` would need @jest/globals in every setup.
 */
let lines: string[] = [];
const printed = console.log;

export function captureConsole(): void {
  beforeEach(() => {
    lines = [];
    console.log = (...args: unknown[]) => {
      lines.push(args.map(String).join(' ').trimEnd());
    };
  });
  afterEach(() => {
    console.log = printed;
  });
}

/** The lines logged so far in this test, in order. */
export function appLog(): string[] {
  return [...lines];
}

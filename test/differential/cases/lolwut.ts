// Differential cases: LOLWUT's version dispatch, argument errors and the Schotter drawings that use no rand()
// (at most two rows of squares: only rows below the second are shaken). Random drawings: test/commands/lolwut.test.ts.
import type { Suite } from '../harness.js';

export const suite: Suite = {
  name: 'lolwut',
  cases: [
    {
      name: 'version dispatch and the version line',
      cmds: [
        ['LOLWUT'],
        ['LOLWUT', 'VERSION'],
        ['LOLWUT', 'version', '4'],
        ['LOLWUT', 'VERSION', '7'],
        ['LOLWUT', 'VERSION', '59'],
        ['LOLWUT', 'VERSION', '-1'],
        ['LOLWUT', 'VERSION', '0'],
        ['LOLWUT', '5'],
        ['LOLWUT', '5', '6'],
      ],
    },
    {
      name: 'argument errors',
      cmds: [
        ['LOLWUT', 'VERSION', 'x'],
        ['LOLWUT', 'VERSION', '5.0'],
        ['LOLWUT', 'VERSION', '99999999999999999999'],
        ['LOLWUT', 'VERSION', '5', 'x'],
        ['LOLWUT', 'VERSION', '5', '10', 'y'],
        ['LOLWUT', 'VERSION', '5', '10', '2', 'z'],
        ['LOLWUT', 'VERSION', '6', 'x'],
        ['LOLWUT', 'VERSION', '6', '10', ''],
      ],
    },
    {
      name: 'schotter without rand',
      cmds: [
        ['LOLWUT', 'VERSION', '5', '10', '1', '1'],
        ['LOLWUT', 'VERSION', '5', '2', '1', '1'],
        ['LOLWUT', 'VERSION', '5', '3', '2', '2'],
        ['LOLWUT', 'VERSION', '5', '1', '2', '2'],
        ['LOLWUT', 'VERSION', '5', '40', '5', '2'],
        ['LOLWUT', 'VERSION', '5', '66', '8', '2'],
        ['LOLWUT', 'VERSION', '5', '33', '7', '1'],
        ['LOLWUT', 'VERSION', '5', '0', '0', '0'],
        ['LOLWUT', 'VERSION', '5', '-5', '3', '1'],
        ['LOLWUT', 'VERSION', '5', '200', '200', '2'],
        ['LOLWUT', 'VERSION', '5', '5000', '3', '1'],
        ['LOLWUT', 'VERSION', '4294967301', '5', '1', '1'],
        ['LOLWUT', 'VERSION', '5', '5', '1', '1', 'extra'],
        ['LOLWUT', 'VERSION', '5', '9223372036854775807', '1', '1'],
      ],
    },
    {
      name: 'skyline of one pixel with no building drawn on it',
      cmds: [['LOLWUT', 'VERSION', '6', '0', '0']],
      mode: 'type',
    },
  ],
};

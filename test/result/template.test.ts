// format_columns templates follow Python's str.format (spec §3.3). The expected strings below were produced by
// CPython 3.11 (string.Formatter with missing/None top-level fields read as ''); null = Python raised.
import t from 'tap';
import { compileTemplate, formatTemplate, TemplateError } from '../../src/template.js';

const fields = {
  "s": "Pépé l'As",
  "e": "",
  "n": null,
  "i": 1234567,
  "neg": -42,
  "f": 3.14159,
  "big": 12345.678,
  "tiny": 1.23e-05,
  "t": true,
  "fa": false,
  "l": [
    "a",
    "b",
    1,
    null,
    true,
    {
      "k": "v"
    }
  ],
  "d": {
    "k": "v",
    "n": [
      1,
      2
    ],
    "q": "it's \"x\""
  },
  "u": "ü\n\t\\",
  "half": 2.5,
  "p125": 0.125,
  "nf": -0.0001,
  "w": 5,
  "first name": "spaced"
};

function render(template: string): string | null {
  try {
    return formatTemplate(template, fields);
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    return null;
  }
}

const table: [string, string | null][] = [
  ["{s}", "Pépé l'As"],
  ["{e}", ""],
  ["{n}", ""],
  ["{missing}", ""],
  ["{i}", "1234567"],
  ["{neg}", "-42"],
  ["{f}", "3.14159"],
  ["{big}", "12345.678"],
  ["{tiny}", "1.23e-05"],
  ["{t}", "True"],
  ["{fa}", "False"],
  ["{l}", "['a', 'b', 1, None, True, {'k': 'v'}]"],
  ["{d}", "{'k': 'v', 'n': [1, 2], 'q': 'it\\'s \"x\"'}"],
  ["{u}", "ü\n\t\\"],
  ["{half}", "2.5"],
  ["{l[0]}", "a"],
  ["{l[9]}", null],
  ["{l[x]}", null],
  ["{d[k]}", "v"],
  ["{d[n]}", "[1, 2]"],
  ["{d[n][1]}", "2"],
  ["{d[zz]}", null],
  ["{d[0]}", null],
  ["{s[0]}", "P"],
  ["{s[99]}", null],
  ["{missing[0]}", null],
  ["{n[0]}", null],
  ["{missing.x}", null],
  ["{i[0]}", null],
  ["{s!r}", "\"Pépé l'As\""],
  ["{u!r}", "'ü\\n\\t\\\\'"],
  ["{u!a}", "'\\xfc\\n\\t\\\\'"],
  ["{s!a}", "\"P\\xe9p\\xe9 l'As\""],
  ["{l!r}", "['a', 'b', 1, None, True, {'k': 'v'}]"],
  ["{d!s}", "{'k': 'v', 'n': [1, 2], 'q': 'it\\'s \"x\"'}"],
  ["{missing!r}", "''"],
  ["{n!r}", "''"],
  ["{i!r}", "1234567"],
  ["{f!r}", "3.14159"],
  ["{t!r}", "True"],
  ["{s!x}", null],
  ["{d[q]!r}", "'it\\'s \"x\"'"],
  ["{{literal}}", "{literal}"],
  ["{{{s}}}", "{Pépé l'As}"],
  ["}", null],
  ["{", null],
  ["{s", null],
  ["{s!r", null],
  ["{s:", null],
  ["a}b", null],
  ["{}", null],
  ["{0}", null],
  ["{[0]}", null],
  ["{s.}", null],
  ["{l[0]x}", null],
  ["{l[}", null],
  ["{s:{w}}", "Pépé l'As"],
  ["{s:>{w}}", "Pépé l'As"],
  ["{i:{w}d}", "1234567"],
  ["{s:{w:{w}}}", null],
  ["{s:>12}", "   Pépé l'As"],
  ["{s:<12}", "Pépé l'As   "],
  ["{s:^12}", " Pépé l'As  "],
  ["{s:*^12}", "*Pépé l'As**"],
  ["{s:12}", "Pépé l'As   "],
  ["{s:.3}", "Pép"],
  ["{s:>8.3}", "     Pép"],
  ["{s:s}", "Pépé l'As"],
  ["{s:d}", null],
  ["{s:=12}", null],
  ["{s:+}", null],
  ["{s:#}", null],
  ["{s:,}", null],
  ["{s:012}", "Pépé l'As000"],
  ["{s:<012}", "Pépé l'As000"],
  ["{s:x<3}", "Pépé l'As"],
  ["{i:d}", "1234567"],
  ["{i:,}", "1,234,567"],
  ["{i:_}", "1_234_567"],
  ["{i:_x}", "12_d687"],
  ["{i:#x}", "0x12d687"],
  ["{i:#X}", "0X12D687"],
  ["{i:#b}", "0b100101101011010000111"],
  ["{i:o}", "4553207"],
  ["{i:,x}", null],
  ["{i:+}", "+1234567"],
  ["{neg:+}", "-42"],
  ["{i: }", " 1234567"],
  ["{neg:010}", "-000000042"],
  ["{neg:010,}", "-0,000,042"],
  ["{i:015,}", "000,001,234,567"],
  ["{i:08,}", "1,234,567"],
  ["{neg:>10}", "       -42"],
  ["{neg:=10}", "-       42"],
  ["{neg:^10}", "   -42    "],
  ["{i:.2}", null],
  ["{i:c}", null],
  ["{w:c}", "\u0005"],
  ["{i:s}", null],
  ["{i:e}", "1.234567e+06"],
  ["{i:.2f}", "1234567.00"],
  ["{i:%}", "123456700.000000%"],
  ["{i:g}", "1.23457e+06"],
  ["{i:n}", "1234567"],
  ["{i:,n}", null],
  ["{f:.2f}", "3.14"],
  ["{f:.0f}", "3"],
  ["{f:e}", "3.141590e+00"],
  ["{f:.2e}", "3.14e+00"],
  ["{f:E}", "3.141590E+00"],
  ["{f:g}", "3.14159"],
  ["{f:.3g}", "3.14"],
  ["{f:G}", "3.14159"],
  ["{f:%}", "314.159000%"],
  ["{f:.1%}", "314.2%"],
  ["{f:10.3f}", "     3.142"],
  ["{f:<10.3}", "3.14      "],
  ["{f:.3}", "3.14"],
  ["{f:d}", null],
  ["{f:>10}", "   3.14159"],
  ["{f:+.1f}", "+3.1"],
  ["{big:,}", "12,345.678"],
  ["{big:,.2f}", "12,345.68"],
  ["{big:_.1f}", "12_345.7"],
  ["{big:.3}", "1.23e+04"],
  ["{big:.5}", "1.2346e+04"],
  ["{big:.8}", "12345.678"],
  ["{big:g}", "12345.7"],
  ["{big:.2g}", "1.2e+04"],
  ["{big:015,.2f}", "0,000,012,345.68"],
  ["{tiny}", "1.23e-05"],
  ["{tiny:g}", "1.23e-05"],
  ["{tiny:.2e}", "1.23e-05"],
  ["{tiny:f}", "0.000012"],
  ["{tiny:.3}", "1.23e-05"],
  ["{nf:.2f}", "-0.00"],
  ["{nf:z.2f}", "0.00"],
  ["{nf:z.5f}", "-0.00010"],
  ["{half:.0f}", "2"],
  ["{half:.0e}", "2e+00"],
  ["{p125:.2f}", "0.12"],
  ["{p125:.1e}", "1.2e-01"],
  ["{half:.1g}", "2"],
  ["{half:.0%}", "250%"],
  ["{half:#.0f}", "2."],
  ["{half:#.0e}", "2.e+00"],
  ["{f:#g}", "3.14159"],
  ["{f:#.0g}", "3."],
  ["{t:>5}", "    1"],
  ["{t:d}", "1"],
  ["{fa:x}", "0"],
  ["{t:s}", null],
  ["{n:>5}", "     "],
  ["{l:>5}", null],
  ["{d:s}", null],
  ["{l!s:>30}", "['a', 'b', 1, None, True, {'k': 'v'}]"],
  ["{l[0]:>3}", "  a"],
  ["{l[3]}", "None"],
  ["{l[4]}", "True"],
  ["{l[3]:>3}", null],
  ["{s} and {i} / {f}", "Pépé l'As and 1234567 / 3.14159"],
  ["  {e}  ", "    "],
  ["{first name}", "spaced"],
  ["{s:}", "Pépé l'As"],
  ["{s!s:}", "Pépé l'As"],
  ["{i:q}", null],
  ["{i:dd}", null],
  ["{i:.}", null],
  ["{i:,_}", null],
];

t.test('matches Python str.format, rule by rule', async (t) => {
  for (const [template, expected] of table) t.equal(render(template), expected, template);
});

t.test('floats round half to even like Python, not half up like toFixed', async (t) => {
  const values = { a: 0.5, b: 1.5, c: 2.5, d: 0.375, e: 9.5, f: 25, g: -2.5 };
  const cases: [string, string][] = [
    ['{a:.0f}', '0'],
    ['{b:.0f}', '2'],
    ['{c:.0f}', '2'],
    ['{d:.2f}', '0.38'],
    ['{e:.0f}', '10'],
    ['{e:.0e}', '1e+01'],
    ['{f:.0e}', '2e+01'],
    ['{g:.0f}', '-2'],
    ['{c:.1g}', '2'],
  ];
  for (const [template, expected] of cases) t.equal(formatTemplate(template, values), expected, template);
});

t.test('integers stay integral, other floats use Python repr', async (t) => {
  const values = { one: 1, huge: 1e21, small: 1e-7, frac: 0.1, neg: -1.5, big: 1.5e15 + 0.5 };
  t.equal(formatTemplate('{one} {huge}', values), '1 1000000000000000000000');
  t.equal(formatTemplate('{small} {frac} {neg} {big}', values), '1e-07 0.1 -1.5 1500000000000000.5');
});

t.test('attribute access reads a key of an object', async (t) => {
  const values = { user: { name: 'Bob', phones: ['1', '2'] }, text: 'abc' };
  t.equal(formatTemplate('{user.name} {user.phones[1]}', values), 'Bob 2');
  t.throws(() => formatTemplate('{user.missing}', values), TemplateError);
  t.throws(() => formatTemplate('{text.upper}', values), TemplateError);
  t.throws(() => formatTemplate('{user.constructor}', values), TemplateError);
  t.throws(() => formatTemplate('{user[toString]}', values), TemplateError);
});

t.test('unquoted dict keys may hold any character but ]', async (t) => {
  const values = { d: { 'a-b c': 'x', "'q'": 'quoted', '}': 'brace' } };
  t.equal(formatTemplate('{d[a-b c]}', values), 'x');
  t.equal(formatTemplate("{d['q']}", values), 'quoted');
  t.equal(formatTemplate('{d[}]}', values), 'brace');
});

t.test('a field named like an Object.prototype member is just missing', async (t) => {
  t.equal(formatTemplate('[{constructor}{toString}{__proto__}]', {}), '[]');
});

t.test('compiled templates are cached, errors included', async (t) => {
  t.equal(compileTemplate('{a} cached'), compileTemplate('{a} cached'));
  const broken = compileTemplate('{a');
  t.equal(broken, compileTemplate('{a'));
  t.throws(() => broken({ a: 1 }), TemplateError);
  t.equal(compileTemplate('no fields')({}), 'no fields');
  t.equal(compileTemplate('')({}), '');
});

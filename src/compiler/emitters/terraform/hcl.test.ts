import { describe, expect, it } from 'vitest';
import { alignedAttributes, hclString, hclValue } from './hcl.js';

describe('hclString', () => {
  it('quotes plain text unchanged', () => {
    expect(hclString('acme-tfstate')).toBe('"acme-tfstate"');
  });

  it('escapes quotes, backslashes and control characters', () => {
    expect(hclString('say "hi" \\ there\n\ttab')).toBe('"say \\"hi\\" \\\\ there\\n\\ttab"');
    expect(hclString('\u0001')).toBe('"\\u0001"');
  });

  it('escapes template sequences so spec text can never become an interpolation or a directive', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform syntax as test data, not a JS template
    expect(hclString('${var.token}')).toBe('"$${var.token}"');
    expect(hclString('%{ if true }x%{ endif }')).toBe('"%%{ if true }x%%{ endif }"');
    // A lone $ or % is literal in HCL and stays as it is.
    expect(hclString('100% $5')).toBe('"100% $5"');
  });
});

describe('hclValue', () => {
  it('writes scalars and lists of scalars', () => {
    expect(hclValue(true)).toBe('true');
    expect(hclValue(3)).toBe('3');
    expect(hclValue(null)).toBe('null');
    expect(hclValue(['a', 1, false])).toBe('["a", 1, false]');
  });

  it('refuses what it cannot write faithfully', () => {
    expect(() => hclValue(Number.NaN)).toThrow(/HCL number/);
    expect(() => hclValue({ a: 1 })).toThrow(/unsupported/);
  });
});

describe('alignedAttributes', () => {
  it('aligns `=` like terraform fmt does for consecutive one-line attributes', () => {
    expect(
      alignedAttributes(
        [
          ['a', '1'],
          ['long_name', '"x"'],
        ],
        '  ',
      ),
    ).toBe('  a         = 1\n  long_name = "x"');
  });
});

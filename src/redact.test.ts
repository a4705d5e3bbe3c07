import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redact.js';

describe('redaction', () => {
  const r = new Redactor(['s3cr3t-signing-secret']);

  it('masks known secrets, Slack tokens, bearer headers and URL passwords', () => {
    const out = r.text(
      'secret=s3cr3t-signing-secret tok=xoxb-123-456-abc app=xapp-1-A1-2-ff auth=Bearer abcdefghijkl db=postgres://envc:hunter2@db:5432/envc',
    );
    expect(out).not.toMatch(/s3cr3t|xoxb-123|xapp-1-A1|abcdefghijkl|hunter2/);
    expect(out).toContain('postgres://envc:[REDACTED]@db:5432/envc');
    expect(out).toContain(`Bearer ${REDACTED}`);
  });
});

import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../redact.js';
import { memoryLog } from './log.js';

describe('bot log redaction', () => {
  const r = new Redactor(['s3cr3t-signing-secret']);

  it('masks secret-named fields in structured logs, errors included', () => {
    const log = memoryLog(r);
    log.info('call', {
      token: 'anything',
      nested: { signingSecret: 'x', ok: 'xoxp-9-9' },
      error: new Error('bad xoxb-1-2-3'),
    });
    const line = log.lines[0]!;
    expect(JSON.stringify(line)).not.toMatch(/anything|xoxp-9-9|xoxb-1-2-3/);
    expect(line).toMatchObject({ level: 'info', msg: 'call', service: 'envc-bot', token: REDACTED });
  });
});

import { describe, expect, it } from 'vitest';
import { checkBlocks, checkMessage, checkView } from './block-kit.js';

// The checker is what makes the fake strict: these cases prove it rejects what Slack rejects.
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('Block Kit checker', () => {
  it('accepts a well-formed message', () => {
    expect(
      checkBlocks([
        section('hi'),
        { type: 'divider' },
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'Go' }, action_id: 'a', value: 'v' },
          ],
        },
      ]),
    ).toEqual([]);
  });

  it('rejects 51 blocks in a message but allows 100 in a modal', () => {
    const blocks = Array.from({ length: 51 }, () => section('x'));
    expect(checkBlocks(blocks, 'message').map((p) => p.message)).toContain('must have no more than 50 items');
    expect(checkBlocks(blocks, 'modal')).toEqual([]);
    expect(
      checkBlocks(
        Array.from({ length: 101 }, () => section('x')),
        'modal',
      ),
    ).not.toEqual([]);
  });

  it('rejects a 3001-character section and a 76-character button', () => {
    expect(checkBlocks([section('x'.repeat(3000))])).toEqual([]);
    expect(checkBlocks([section('x'.repeat(3001))])[0]?.pointer).toBe('/blocks/0/text/text');
    const btn = (t: string) => ({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: t }, action_id: 'a' }],
    });
    expect(checkBlocks([btn('b'.repeat(75))])).toEqual([]);
    expect(checkBlocks([btn('b'.repeat(76))])[0]?.pointer).toBe('/blocks/0/elements/0/text/text');
  });

  it('rejects mrkdwn where only plain_text is allowed, empty text, unknown types and duplicate ids', () => {
    expect(checkBlocks([{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }])).not.toEqual([]);
    expect(checkBlocks([section('')])).not.toEqual([]);
    expect(checkBlocks([{ type: 'fancy' }])).not.toEqual([]);
    expect(
      checkBlocks([
        { ...section('a'), block_id: 'x' },
        { ...section('b'), block_id: 'x' },
      ]),
    ).not.toEqual([]);
    expect(
      checkBlocks(
        [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'L' },
            element: { type: 'plain_text_input', action_id: 'i' },
          },
        ],
        'message',
      ),
    ).not.toEqual([]);
  });

  it('checks modal title, submit and private_metadata limits', () => {
    const modal = {
      type: 'modal',
      title: { type: 'plain_text', text: 'Confirm approval' },
      blocks: [section('x')],
    };
    expect(checkView(modal)).toEqual([]);
    expect(checkView({ ...modal, title: { type: 'plain_text', text: 't'.repeat(25) } })).not.toEqual([]);
    expect(checkView({ ...modal, private_metadata: 'm'.repeat(3001) })).not.toEqual([]);
    const withInput = {
      ...modal,
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'L' },
          element: { type: 'plain_text_input', action_id: 'i' },
        },
      ],
    };
    expect(checkView(withInput).map((p) => p.pointer)).toContain('/view/submit');
  });

  it('needs message content and flags blocks without fallback text', () => {
    expect(checkMessage({ channel: 'C1' }).code).toBe('no_text');
    expect(checkMessage({ blocks: [section('x')] }).warnings).toHaveLength(1);
    expect(checkMessage({ text: 'a', markdown_text: 'b' }).code).toBe('markdown_text_conflict');
  });
});

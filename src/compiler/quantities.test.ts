import { describe, expect, it } from 'vitest';
import {
  formatCpu,
  formatDuration,
  formatMemory,
  parseCpu,
  parseDuration,
  parseMemory,
} from './quantities.js';

describe('quantities', () => {
  it('parses durations in every unit and rejects others', () => {
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('8h')).toBe(28_800);
    expect(parseDuration('30d')).toBe(2_592_000);
    expect(parseDuration('2w')).toBe(1_209_600);
    expect(parseDuration('0d')).toBeUndefined();
    expect(parseDuration('1y')).toBeUndefined();
    expect(formatDuration(86_400)).toBe('1d');
    expect(formatDuration(5400)).toBe('90m');
  });
  it('parses cpu as millicores', () => {
    expect(parseCpu('250m')).toBe(250);
    expect(parseCpu('2')).toBe(2000);
    expect(parseCpu('0.5')).toBe(500);
    expect(parseCpu('1.5Gi')).toBeUndefined();
    expect(formatCpu(7500)).toBe('7500m');
    expect(formatCpu(8000)).toBe('8');
  });
  it('parses memory with binary and decimal suffixes', () => {
    expect(parseMemory('512Mi')).toBe(536_870_912);
    expect(parseMemory('1G')).toBe(1e9);
    expect(parseMemory('2Gi')).toBe(2 * 1024 ** 3);
    expect(parseMemory('12')).toBe(12);
    expect(parseMemory('1Gb')).toBeUndefined();
    expect(formatMemory(30 * 512 * 1024 ** 2)).toBe('15Gi');
  });
});

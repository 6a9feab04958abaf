import { describe, expect, it } from 'vitest';
import { formToSettings, settingsToForm } from './profileForm';

describe('backend profile form', () => {
  it('round-trips a slurm-rest profile through the form, keeping fields the form does not show', () => {
    const settings = {
      type: 'slurm-rest', baseUrl: 'http://login:6820', user: 'astro', keyFile: '/k', workRoot: '/scratch', cpus: 4,
      pathMappings: [{ remotePrefix: '/scratch', localPrefix: '/mnt/s' }, { remotePrefix: '/data', localPrefix: '/mnt/d' }],
      cirasaCommand: ['/opt/node', '/opt/cirasa/bin/cirasa.js'], tokenSecret: 'x.token',
    };
    const form = settingsToForm('slurm-rest', settings);
    expect(form.pathMappings).toBe('/scratch = /mnt/s\n/data = /mnt/d');
    expect(form.cpus).toBe('4');
    expect(formToSettings('slurm-rest', form, settings)).toEqual(settings);
  });

  it('drops empty fields, parses numbers and booleans, names a bad line', () => {
    const form = settingsToForm('slurm-ssh', {});
    expect(formToSettings('slurm-ssh', { ...form, host: ' h ', port: '2222', useAgent: true })).toEqual({ type: 'slurm-ssh', host: 'h', port: 2222, useAgent: true });
    expect(() => formToSettings('slurm-ssh', { ...form, port: 'twenty' })).toThrow('SSH port: not a number');
    expect(() => formToSettings('slurm-rest', { ...settingsToForm('slurm-rest', {}), pathMappings: '/only-remote' })).toThrow(/not "cluster path = local path"/);
  });
});

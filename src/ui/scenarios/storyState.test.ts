import { describe, expect, it } from 'vitest';
import { storyByName } from '../../scenario/stories';
import { storyPrefix, storyProgress } from './storyState';

describe('story progress', () => {
  const story = storyByName('nvme-ir')!;
  const actions = story.scenario.actions;

  it('follows the script: the caption of the step shown', () => {
    expect(storyProgress('nvme-ir', actions, 8)?.caption).toBe(story.captions[7]);
    expect(storyProgress('nvme-ir', actions, 0)?.caption).toMatch(/^x86, 4 CPUs booted\./);
    expect(storyProgress(null, actions, 3)).toBeNull();
  });

  it('stops captioning where the user’s own steps begin', () => {
    const edited = [...actions.slice(0, 4), { op: 'raise' as const, dev: '0000:3d:00.0', index: 2 }];
    expect(storyPrefix(story, edited)).toBe(4);
    expect(storyProgress('nvme-ir', edited, 4)?.caption).toBe(story.captions[3]);
    expect(storyProgress('nvme-ir', edited, 5)?.caption).toBeNull();
  });
});

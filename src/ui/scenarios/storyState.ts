// Which story the user is following and how far the scenario still follows its script.

import { storyByName, storyCaption, type Story } from '../../scenario/stories';
import type { Action } from '../../worker/protocol';

const matchCache = new WeakMap<object, { story: Story; n: number }>();

/** How many leading actions of `actions` are the story's own (the script it still follows). */
export function storyPrefix(story: Story, actions: readonly Action[]): number {
  const hit = matchCache.get(actions);
  if (hit && hit.story === story) return hit.n;
  const script = story.scenario.actions;
  let n = 0;
  if (actions === script) n = script.length;
  else {
    while (n < actions.length && n < script.length && JSON.stringify(actions[n]) === JSON.stringify(script[n])) n++;
  }
  matchCache.set(actions, { story, n });
  return n;
}

export interface StoryProgress {
  story: Story;
  /** The caption of the step shown, or null once the scenario has left the story's script. */
  caption: string | null;
  /** Steps of the script the scenario still follows. */
  following: number;
}

export function storyProgress(name: string | null, actions: readonly Action[] | undefined, step: number): StoryProgress | null {
  const story = name ? storyByName(name) : undefined;
  if (!story || !actions) return null;
  const following = storyPrefix(story, actions);
  return { story, following, caption: step <= following ? storyCaption(story, step) : null };
}

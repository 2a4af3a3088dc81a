/**
 * The demo world's groups: a supergroup, a forum and a basic group (`type: group`) with both demo bots, the test user and a few chatty fake
 * humans whose messages the tester must ignore. The shipped `groups` scenarios talk to the bots there.
 */
import type { GroupSpec } from '../groups.js';

export const DEMO_GROUPS: GroupSpec[] = [
  {
    title: 'Sandbox Lounge',
    username: 'sandbox_group',
    bots: ['canary_bot', 'stable_bot'],
    humans: [
      { name: 'Maya Lopez', chattiness: 0.6, lines: ['morning all ☕', 'has anyone tried the new bot build?', 'lol', 'brb, standup'] },
      { name: 'Tom Becker', chattiness: 0.4, lines: ['+1', 'works for me', 'which bot is the canary again?'] },
    ],
  },
  {
    title: 'Orbit Support Forum',
    username: 'sandbox_forum',
    forum: true,
    topics: ['Support', 'Off-topic', 'Announcements'],
    closedTopics: ['Announcements'],
    bots: ['canary_bot', 'stable_bot'],
    humans: [{ name: 'Priya Nair', chattiness: 0.5, lines: ['same problem here', 'thanks!', 'any update on this?'] }],
  },
  {
    title: 'Sandbox Team',
    type: 'group',
    bots: ['canary_bot', 'stable_bot'],
    humans: [{ name: 'Jonas Weber', chattiness: 0.6, lines: ['who broke the build?', 'lunch?', 'ok', 'see you at the retro'] }],
  },
];

/**
 * What the driver tracks of one bot in one group (a supergroup, a forum topic or a basic group), and how group code
 * runs an RPC through the driver. Shared by group-chat.ts and basic-group-chat.ts.
 */
import type { Api } from 'teleproto';

/** One bot in one group/topic, as the driver tracks it. */
export interface GroupThread {
  /** The supergroup's channel id, or a basic group's chat id (`basic`). */
  channelId: string;
  /** A basic group (`PeerChat`, basic-group-chat.ts), not a supergroup. */
  basic?: boolean;
  /** The forum topic (its top message id); undefined = General / no topics. */
  topicId?: number;
  forum: boolean;
  botId: string;
  /** The ids of the prompts we sent there. */
  ours: Set<number>;
  /**
   * The bot's replies to a message not (yet) known as ours, with when they arrived: a reply can reach us before
   * the answer to our send says which id our prompt got. Admitted when that id turns out ours; never otherwise.
   */
  held: Map<number, { m: Api.Message; at: number; via: 'push' | 'difference' }>;
  label: string;
}

export type RpcRunner = <T>(during: string, fn: () => Promise<T>) => Promise<T>;

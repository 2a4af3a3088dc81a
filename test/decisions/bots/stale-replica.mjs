// A bot behind a load balancer with one replica on a stale config: that replica answers every third message with
// the generic greeting of an unconfigured bot; the other replicas are the demo bot. Its failures hop from
// scenario to scenario, so no single scenario fails every time.
const GREETING = 'Hello! How can I help you today?';

export default (base) => {
  let messages = 0;
  return {
    async onMessage(msg, chat) {
      messages += 1;
      if (messages % 3 === 0) {
        await chat.reply(GREETING);
        return;
      }
      return base.onMessage(msg, chat);
    },
  };
};

// A canary that wraps the built-in demo bot and answers 1.5 s late:
// `tg-canary demo --canary-bot examples/slow-canary-bot.mjs`
export default (base) => ({
  async onMessage(msg, chat) {
    await chat.sleep(1500);
    return base.onMessage(msg, chat);
  },
  onCallback: base.onCallback,
});

// A back-end that takes `delay_ms` to answer: the bench uses five of them to show the fan-out is concurrent.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default class BenchSlow {
  load({ config }) {
    this.delay = Number(config.delay_ms ?? 50);
  }
  async search(term) {
    await sleep(this.delay);
    return [{ id: '1', name: `slow ${term}` }];
  }
  async firstMatch() {
    await sleep(this.delay);
    return null;
  }
}

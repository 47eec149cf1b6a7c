// The city: active civic events near the signs (polled) and collectible drops and claims (pushed on the dashboard socket).

import { api } from "./api.js";

const POLL_MS = 10000;
const SEARCH_METRES = 50000; // the largest radius the nearby search accepts

export class City {
  constructor() {
    this.events = new Map();
    this.feed = [];          // newest first: {type, collectible, at}
    this.drops = new Map();  // collectible id -> collectible (latest state)
    this.onChange = () => {};
    this.timer = null;
  }

  start(centre, onError) {
    clearInterval(this.timer);
    const poll = async () => {
      const c = centre();
      if (!c) return;
      try {
        const found = (await api("GET", `/api/events/nearby?lng=${c[0]}&lat=${c[1]}&max_distance=${SEARCH_METRES}&limit=100`)) ?? [];
        this.events = new Map(found.map((e) => [e.id, e]));
        this.onChange();
      } catch (e) { onError(e); }
    };
    // The first poll waits for the fleet snapshot, which gives the centre.
    setTimeout(poll, 1000);
    this.timer = setInterval(poll, POLL_MS);
    this.poll = poll;
  }

  collectible(type, collectible) {
    if (!collectible) return;
    this.drops.set(collectible.id, collectible);
    this.feed.unshift({ type, collectible, at: Date.now() });
    this.feed.length = Math.min(this.feed.length, 30);
    if (!this.events.has(collectible.event_id) && this.poll) this.poll();
    this.onChange();
  }

  /** The event's collectibles that can still be claimed. */
  liveDrops(eventId) {
    const now = Date.now();
    return [...this.drops.values()].filter((c) => c.event_id === eventId && !c.claimed_by && Date.parse(c.expires_at) > now);
  }
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnGate } from './turn-gate.js';

test('releases one waiter per event-loop turn, with other callbacks of each turn in between', async () => {
  const gate = new TurnGate();
  const order: string[] = [];
  const released = [1, 2, 3].map((i) => gate.wait().then(() => order.push(`g${i}`)));
  // One immediate per turn, for three turns: without the gate all three waiters would come first.
  setImmediate(() => {
    order.push('t1');
    setImmediate(() => {
      order.push('t2');
      setImmediate(() => order.push('t3'));
    });
  });
  await Promise.all(released);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(order, ['g1', 't1', 'g2', 't2', 'g3', 't3']);
});

test('a waiter that arrives after the queue ran dry is released on the next turn', async () => {
  const gate = new TurnGate();
  await gate.wait();
  let done = false;
  const later = gate.wait().then(() => (done = true));
  assert.equal(done, false, 'never released in the turn it was asked for');
  await later;
  assert.equal(done, true);
});

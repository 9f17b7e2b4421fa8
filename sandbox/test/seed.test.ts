import { describe, expect, it } from 'vitest';
import { generateDataset } from '../src/data/dataset.js';
import { START } from './support.js';

describe('seed data', () => {
  it('is the same for the same seed and anchor, and differs for another seed', () => {
    const first = generateDataset({ seed: 1, anchor: START });
    const again = generateDataset({ seed: 1, anchor: START });
    const other = generateDataset({ seed: 2, anchor: START });

    expect(again.contacts.all()).toEqual(first.contacts.all());
    expect(again.orders.all()).toEqual(first.orders.all());
    expect(other.contacts.all()).not.toEqual(first.contacts.all());
  });

  it('has the volumes the checklist asks for', () => {
    const data = generateDataset({ seed: 1, anchor: START });
    expect(data.contacts.size).toBeGreaterThanOrEqual(200);
    expect(data.products.size).toBe(30);
    expect(data.orders.size).toBeGreaterThanOrEqual(100);
    expect(data.companies.size).toBe(20);
  });

  it('never dates a record after the anchor, and keeps emails unique', () => {
    const data = generateDataset({ seed: 3, anchor: START });
    for (const contact of data.contacts.all()) {
      expect(contact.last_updated).toBeLessThanOrEqual(START);
      expect(contact.last_updated).toBeGreaterThanOrEqual(contact.date_created);
    }
    for (const order of data.orders.all()) {
      expect(order.modification_date).toBeLessThanOrEqual(START);
      expect(order.modification_date).toBeGreaterThanOrEqual(order.creation_date);
    }
    const emails = data.contacts.all().flatMap((c) => c.email_addresses.map((e) => e.email));
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('explains every order’s paid and refunded amounts with transactions', () => {
    const data = generateDataset({ seed: 1, anchor: START });
    for (const order of data.orders.all()) {
      const approved = data.transactions
        .all()
        .filter((tx) => tx.order_ids.includes(order.id) && tx.status === 'Approved');
      const sum = (type: string) =>
        approved.filter((tx) => tx.type === type).reduce((total, tx) => total + tx.amount, 0);
      const sales = sum('Sale');
      const refunds = -sum('Refund');
      expect(sales).toBeCloseTo(order.total_paid, 2);
      expect(refunds).toBeCloseTo(order.refund_total, 2);
    }
  });
});

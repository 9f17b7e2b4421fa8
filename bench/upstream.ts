/**
 * A canned Keap upstream for benchmarks: answers `GET /crm/rest/v1/orders` with one fixed
 * Keap-shaped page (about 28 KB, with the nulls Keap sends), so that what is measured is the
 * hub, not the sandbox's data generation. Run as its own process.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const body = Buffer.from(JSON.stringify(ordersPage(28 * 1024)));

const server = createServer((request, response) => {
  if (!request.headers.authorization?.startsWith('Bearer ')) {
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end('{"fault":{"faultstring":"Invalid access token"}}');
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : port} ${body.length}\n`);
});

function ordersPage(targetBytes: number) {
  const orders: unknown[] = [];
  for (let id = 1; JSON.stringify(orders).length < targetBytes - 600; id++) {
    orders.push({
      id,
      title: `Order ${id}`,
      status: id % 3 ? 'PAID' : 'UNPAID',
      recurring: false,
      total: 120.5 + id,
      total_paid: id % 3 ? 120.5 + id : 0,
      total_due: id % 3 ? 0 : 120.5 + id,
      refund_total: 0,
      allow_payment: true,
      order_date: '2026-11-02T10:15:00.000+0000',
      creation_date: '2026-11-02T10:15:00.000+0000',
      modification_date: '2026-11-03T08:00:00.000+0000',
      notes: null,
      terms: null,
      lead_affiliate_id: null,
      sales_affiliate_id: null,
      contact: { id: 1000 + id, first_name: 'Jane', last_name: 'Doe', email: 'jane@example.com', company_name: null, job_title: null },
      order_items: [
        { id: id * 10, name: 'Widget', description: null, notes: null, type: 'Product', quantity: 2, price: 40, cost: null, discount: null, product: { id: 7, name: 'Widget', sku: 'W-1', description: null } },
      ],
      shipping_information: null,
      payment_plan: null,
    });
  }
  return { orders, count: 5000, next: 'https://api.infusionsoft.com/crm/rest/v1/orders/?limit=20&offset=20', previous: null };
}

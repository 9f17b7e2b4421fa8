/**
 * `GET /affiliates/commissions` — `since`/`until` on `date_earned`, and the affiliate filter
 * spelled `affiliateId` (camelCase on the wire in the 2019 spec, keap.md §9.14).
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.js';
import { formatV1Date } from '../data/dates.js';
import type { CommissionRecord } from '../data/models-crm.js';
import { listEnvelope } from './paging.js';
import { queryDate, queryInt, type RawQuery } from './query.js';
import { withinWindow } from './sorting.js';

export function registerAffiliates(app: FastifyInstance, context: SandboxContext): void {
  app.get('/affiliates/commissions', async (request) => {
    const query = request.query as RawQuery;
    const since = queryDate(query, 'since');
    const until = queryDate(query, 'until');
    const affiliateId = queryInt(query, 'affiliateId');
    const matching = context.data.commissions
      .all()
      .filter(
        (row) =>
          withinWindow(row.date_earned, since, until) &&
          (affiliateId === undefined || row.sales_affiliate_id === affiliateId),
      );
    return listEnvelope(request, 'commissions', matching, commissionView);
  });
}

function commissionView(row: CommissionRecord) {
  const { id: _id, date_earned: earned, ...fields } = row;
  return { ...fields, date_earned: formatV1Date(earned) };
}

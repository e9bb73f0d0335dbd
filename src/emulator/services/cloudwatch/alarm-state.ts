/**
 * The alarms and their history, persisted as one document (`cloudwatch-alarms.json`). Every change
 * is written first and applied after: a change that cannot be persisted does not take effect.
 */
import type { StateStore } from '../../core/store.js';
import type { AlarmHistoryItem, CloudWatchAlarmsDocument, MetricAlarm } from './model.js';

const KEY = 'cloudwatch-alarms';
/** "Alarm history is retained for 30 days" is today's figure; the guide of the sources says two weeks [inf] */
export const HISTORY_RETENTION_MS = 14 * 24 * 3600_000;

export class AlarmState {
  private alarms: Map<string, MetricAlarm>;
  private history: AlarmHistoryItem[];

  constructor(private readonly store: StateStore) {
    const saved = store.read<CloudWatchAlarmsDocument>(KEY);
    const doc = saved?.format === 1 ? saved : { format: 1 as const, alarms: [], history: [] };
    this.alarms = new Map(doc.alarms.map((a) => [a.AlarmName, a]));
    this.history = doc.history;
  }

  get(name: string): MetricAlarm | undefined {
    return this.alarms.get(name);
  }

  /** sorted by name, as DescribeAlarms lists them */
  list(): MetricAlarm[] {
    return [...this.alarms.values()].sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0));
  }

  historyItems(): readonly AlarmHistoryItem[] {
    return this.history;
  }

  /**
   * Replace or add `put` alarms, remove `deleted` ones, append `items`; written before it is applied.
   * `now` trims history older than the retention.
   */
  commit(change: { put?: MetricAlarm[]; deleted?: string[]; items?: AlarmHistoryItem[] }, now: number): void {
    const alarms = new Map(this.alarms);
    for (const name of change.deleted ?? []) alarms.delete(name);
    for (const alarm of change.put ?? []) alarms.set(alarm.AlarmName, alarm);
    const oldest = now - HISTORY_RETENTION_MS;
    const history = [...this.history.filter((h) => h.Timestamp >= oldest), ...(change.items ?? [])];
    this.store.write(KEY, { format: 1, alarms: [...alarms.values()], history } satisfies CloudWatchAlarmsDocument);
    this.alarms = alarms;
    this.history = history;
  }
}

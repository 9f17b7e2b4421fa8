import type { Instance } from '../api.js';

/** Valid or not, enabled or not, events on or off: the three states an instance shows. */
export function StatusBadges({ instance }: { instance: Instance }) {
  return (
    <span className="badges">
      <span className={`badge ${instance.valid ? 'ok' : 'bad'}`}>
        {instance.valid ? 'valid' : 'needs re-authentication'}
      </span>
      <span className={`badge ${instance.disabled ? 'bad' : 'ok'}`}>
        {instance.disabled ? 'disabled' : 'enabled'}
      </span>
      <span className="badge">{instance.eventsEnabled ? 'events on' : 'events off'}</span>
    </span>
  );
}

import type { LabelField } from '../../../shared/contract/catalogues';
import { call, toSerializedError } from '../../api/client';
import { describeError } from '../../ui/errorMessages';

const errorText = (err: unknown): string => {
  const d = describeError(toSerializedError(err));
  return `${d.title} ${d.detail}`;
};
import { useLabelStore } from './labelStore';

/** Set one label field on sources (persisted by main before it answers); records undo depth and errors. */
export async function setLabel(sourceIds: number[], field: LabelField, value: string | null): Promise<boolean> {
  if (sourceIds.length === 0) return false;
  const st = useLabelStore.getState();
  try {
    const depths = await call('labels.set', { sourceIds, field, value });
    st.setDepths(depths.undoDepth, depths.redoDepth);
    st.setLast(`${field} = ${value ?? '—'} on ${sourceIds.length === 1 ? `source ${sourceIds[0]}` : `${sourceIds.length} sources`}`);
    return true;
  } catch (err) {
    st.setLast(null, errorText(err));
    return false;
  }
}

export async function undoLabel(): Promise<number[]> {
  const st = useLabelStore.getState();
  try {
    const r = await call('labels.undo', {});
    st.setDepths(r.undoDepth, r.redoDepth);
    st.setLast(r.changedSourceIds.length ? `undone (${r.changedSourceIds.length} source${r.changedSourceIds.length > 1 ? 's' : ''})` : 'nothing to undo');
    return r.changedSourceIds;
  } catch (err) {
    st.setLast(null, errorText(err));
    return [];
  }
}

export async function redoLabel(): Promise<number[]> {
  const st = useLabelStore.getState();
  try {
    const r = await call('labels.redo', {});
    st.setDepths(r.undoDepth, r.redoDepth);
    st.setLast(r.changedSourceIds.length ? `redone (${r.changedSourceIds.length} source${r.changedSourceIds.length > 1 ? 's' : ''})` : 'nothing to redo');
    return r.changedSourceIds;
  } catch (err) {
    st.setLast(null, errorText(err));
    return [];
  }
}

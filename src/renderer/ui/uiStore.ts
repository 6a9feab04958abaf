import { create } from 'zustand';

export type Modal = 'none' | 'header' | 'files';

interface UiState {
  modal: Modal;
  setModal(modal: Modal): void;
  toggleModal(modal: Exclude<Modal, 'none'>): void;
}

/** Which modal dialog is open (one at a time). */
export const useUiStore = create<UiState>()((set) => ({
  modal: 'none',
  setModal: (modal) => set({ modal }),
  toggleModal: (modal) => set((s) => ({ modal: s.modal === modal ? 'none' : modal })),
}));

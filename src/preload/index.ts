// Sandboxed preload (bundled to dist/preload/index.cjs): exposes `window.cirasa` and nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_GLOBAL } from '../shared/contract/bridge';
import { createBridge } from './createBridge';

const bridge = createBridge({
  ipc: ipcRenderer,
  getPathForFile: (file) => webUtils.getPathForFile(file as File),
});

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);

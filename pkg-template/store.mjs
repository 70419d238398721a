// workbridge/store as an ES module: the same fileStore as store.cjs.
import store from './store.cjs';

export const { fileStore } = store;
export default store;

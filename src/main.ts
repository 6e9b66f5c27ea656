import { mount } from 'svelte';
import App from './App.svelte';
import { AppState } from './lib/state/app.svelte';
import { createServices } from './lib/state/createServices';
import { registerSW } from 'virtual:pwa-register';
import './app.css';
import './tables.css';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app element');

const app = new AppState(createServices());
void app.open(location.hash);

// The service worker precaches the app for offline use. A new version waits until the user
// reloads into it from the notice, which is not offered while a run of this tab goes on. When
// another tab applies it, this tab is offered the reload too, instead of being reloaded under a
// running run (the plugin's default).
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  let applying = false;
  const updateSW = registerSW({
    onNeedRefresh: () =>
      app.offerUpdate(() => {
        applying = true;
        return updateSW(true);
      }),
    onNeedReload: () => {
      if (applying) location.reload();
      else
        app.offerUpdate(async () => {
          location.reload();
        });
    },
  });
}

export default mount(App, { target, props: { app } });

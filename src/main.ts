import { mount } from 'svelte';
import App from './App.svelte';
import { AppState } from './lib/state/app.svelte';
import { createServices } from './lib/state/createServices';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app element');

const app = new AppState(createServices());
void app.open(location.hash);

export default mount(App, { target, props: { app } });

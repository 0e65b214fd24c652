// The console page: four views over the console server's same-origin gateway (tools/console/console-app.ts).
// Everything that comes from data reaches the DOM as text (textContent, element()): never innerHTML.
import { startAdminView } from './admin-view.ts';
import { startAuthenticatorView } from './authenticator-view.ts';
import { token } from './console-api.ts';
import { startLoginSimulatorView } from './login-simulator-view.ts';
import { startSocView } from './soc-view.ts';
import { startTotpPanel } from './totp-panel.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

$('console-locked').hidden = token !== null;

// Navigation
function show(page: string): void {
  for (const section of document.querySelectorAll<HTMLElement>('.page')) section.classList.toggle('active', section.id === page);
  for (const link of document.querySelectorAll<HTMLElement>('nav a')) link.classList.toggle('active', link.dataset['page'] === page);
}
window.addEventListener('hashchange', () => show(location.hash.slice(1) || 'admin'));
show(location.hash.slice(1) || 'admin');

startAdminView();
startLoginSimulatorView();
await startAuthenticatorView();
void startTotpPanel();
void startSocView();

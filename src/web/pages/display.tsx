import { render } from 'preact';
import { DisplayApp } from '../display/display-app.js';
import { keepScreenAwake } from '../display/keep-alive.js';
import { displayToken } from '../display/token.js';

const token = displayToken();
if (token) keepScreenAwake();
render(<DisplayApp token={token} />, document.getElementById('app') as HTMLElement);

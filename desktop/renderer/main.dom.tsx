/** The window's entry: connect to the vault's process and render the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.dom.js';
import { connectKindred } from './bridge.dom.js';
import { LanguageProvider } from './i18n/LanguageProvider.dom.js';
import { transferTrackerFor } from './conversation/attachmentTransfers.dom.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/conversation.css';
import './styles/screens.css';
import './styles/attachments.css';
import './styles/zoom.css';
import './styles/theme.css';
import { startTheme } from './theme.dom.js';
import './styles/moderation.css';
import './styles/crisis.css';
import './styles/journal.css';
import './styles/topics.css';
import './styles/schedules.css';
import './styles/requests.css';
import './styles/scheduledChat.css';
import './styles/directory.css';

const container = document.getElementById('root');
if (container === null) throw new Error('The page has no #root element.');

// The theme first: the window's first frame already wears it.
startTheme();
const api = connectKindred();
// Attachment progress is followed from the start, before any conversation is open.
transferTrackerFor(api);

createRoot(container).render(
  <StrictMode>
    <LanguageProvider>
      <App api={api} />
    </LanguageProvider>
  </StrictMode>,
);

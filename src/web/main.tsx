import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { z } from 'zod';
import { Root } from './app';
import './styles.css';

// DatePicker reads week starts and month names from dayjs; ConfigProvider's zh_CN covers the rest.
dayjs.locale('zh-cn');
// zod probes for eval (new Function) to compile faster parsers; the Content-Security-Policy forbids eval, and the
// probe, though caught, is reported as a violation. Run without it (issue 15).
z.config({ jitless: true });

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');

createRoot(container).render(
  <StrictMode>
    <BrowserRouter>
      <Root />
    </BrowserRouter>
  </StrictMode>,
);

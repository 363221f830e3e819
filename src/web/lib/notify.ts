import { type App, message as staticMessage } from 'antd';

type MessageInstance = ReturnType<typeof App.useApp>['message'];

/**
 * The API client lives outside React, but antd's message must render inside the app's
 * ConfigProvider to pick up the zh_CN locale and theme; app.tsx hands us the hook instance.
 */
let instance: MessageInstance | null = null;

export function bindMessageApi(api: MessageInstance | null) {
  instance = api;
}

function messageApi(): MessageInstance {
  return instance ?? staticMessage;
}

export const notify = {
  // Keyed by text so the same failure repeated by several requests shows once.
  error: (text: string) => void messageApi().error({ content: text, key: `err:${text}` }),
  success: (text: string) => void messageApi().success(text),
  info: (text: string) => void messageApi().info(text),
  warning: (text: string) => void messageApi().warning({ content: text, key: `warn:${text}` }),
};

/**
 * The per-section rich-text editor of a 述职报告 (decision 009): tiptap with what a 述职报告 needs —
 * paragraphs, bold, numbered and bulleted lists, simple tables — and nothing else (no headings, links,
 * images or code: the section headings are the structure). It also renders read-only views, so
 * stored HTML reaches the page only through ProseMirror's schema, never as raw innerHTML.
 */
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { Button, Dropdown, Space, Tooltip } from 'antd';
import { forwardRef, useEffect, useImperativeHandle, type ReactNode } from 'react';
import { htmlToPlainText } from '../../../domain/rich-text';

export interface RichEditorHandle {
  /** Scrolls to the first paragraph holding `excerpt` and selects it (editable) or flashes it (read-only). */
  locate(excerpt: string): boolean;
}

interface Props {
  html: string;
  editable: boolean;
  onChange?: (html: string, text: string) => void;
  testId: string;
  placeholder?: string;
}

const extensions = [
  StarterKit.configure({
    heading: false,
    code: false,
    codeBlock: false,
    blockquote: false,
    horizontalRule: false,
    link: false,
  }),
  TableKit.configure({ table: { resizable: false } }),
];

function ToolButton({
  editor,
  label,
  title,
  active,
  onClick,
  disabled,
}: {
  editor: Editor;
  label: ReactNode;
  title: string;
  active?: boolean;
  onClick: () => void;
  disabled?: boolean;
}) {
  return (
    <Tooltip title={title} mouseEnterDelay={0.6}>
      <Button
        size="small"
        type={active ? 'primary' : 'default'}
        disabled={disabled || !editor.isEditable}
        // Keep the selection in the editor while clicking the toolbar.
        onMouseDown={(e) => e.preventDefault()}
        onClick={onClick}
        aria-label={title}
      >
        {label}
      </Button>
    </Tooltip>
  );
}

function Toolbar({ editor, testId }: { editor: Editor; testId: string }) {
  const chain = () => editor.chain().focus();
  const inTable = editor.isActive('table');
  return (
    <Space size={4} wrap className="rich-toolbar" data-testid={`${testId}-toolbar`}>
      <ToolButton
        editor={editor}
        label={<b>B</b>}
        title="加粗"
        active={editor.isActive('bold')}
        onClick={() => chain().toggleBold().run()}
      />
      <ToolButton
        editor={editor}
        label="1."
        title="编号列表"
        active={editor.isActive('orderedList')}
        onClick={() => chain().toggleOrderedList().run()}
      />
      <ToolButton
        editor={editor}
        label="•"
        title="项目符号列表"
        active={editor.isActive('bulletList')}
        onClick={() => chain().toggleBulletList().run()}
      />
      {!inTable ? (
        <ToolButton
          editor={editor}
          label="表格"
          title="插入表格（3行×3列）"
          onClick={() => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()}
        />
      ) : (
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              { key: 'row', label: '下方插入行' },
              { key: 'col', label: '右侧插入列' },
              { key: 'delRow', label: '删除本行' },
              { key: 'delCol', label: '删除本列' },
              { type: 'divider' },
              { key: 'delTable', label: '删除表格', danger: true },
            ],
            onClick: ({ key }) => {
              const c = chain();
              if (key === 'row') c.addRowAfter().run();
              else if (key === 'col') c.addColumnAfter().run();
              else if (key === 'delRow') c.deleteRow().run();
              else if (key === 'delCol') c.deleteColumn().run();
              else c.deleteTable().run();
            },
          }}
        >
          <Button size="small" onMouseDown={(e) => e.preventDefault()}>
            表格 ▾
          </Button>
        </Dropdown>
      )}
      <ToolButton
        editor={editor}
        label="↶"
        title="撤销"
        disabled={!editor.can().undo()}
        onClick={() => chain().undo().run()}
      />
      <ToolButton
        editor={editor}
        label="↷"
        title="重做"
        disabled={!editor.can().redo()}
        onClick={() => chain().redo().run()}
      />
    </Space>
  );
}

export const RichEditor = forwardRef<RichEditorHandle, Props>(function RichEditor(
  { html, editable, onChange, testId, placeholder },
  ref,
) {
  const editor = useEditor({
    extensions,
    content: html,
    editable,
    immediatelyRender: true,
    // Re-render on selection changes so the toolbar shows the marks and the table menu where the cursor is.
    shouldRerenderOnTransaction: true,
    editorProps: { attributes: { class: 'rich-content', 'data-testid': testId, spellcheck: 'false' } },
    onUpdate: ({ editor: e }) => {
      const h = e.getHTML();
      onChange?.(h, htmlToPlainText(h));
    },
  });

  // A reload (save, upload) brings new HTML from the server: replace the content without an update event.
  useEffect(() => {
    if (editor && !editor.isDestroyed && html !== editor.getHTML())
      editor.commands.setContent(html, { emitUpdate: false });
  }, [editor, html]);
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.setEditable(editable, false);
  }, [editor, editable]);

  useImperativeHandle(
    ref,
    () => ({
      locate(excerpt: string) {
        if (!editor) return false;
        const needle = excerpt.replace(/…$/, '').slice(0, 20);
        let found: { from: number; to: number; pos: number } | null = null;
        editor.state.doc.descendants((node, pos) => {
          if (found) return false;
          if (!node.isTextblock) return true;
          const i = needle ? node.textContent.indexOf(needle) : 0;
          // Text offsets map 1:1 to positions inside a textblock of plain text nodes.
          if (i >= 0) found = { from: pos + 1 + i, to: pos + 1 + i + needle.length, pos };
          return false;
        });
        if (!found) return false;
        const { from, to, pos } = found;
        const dom = editor.view.nodeDOM(pos) as HTMLElement | null;
        dom?.scrollIntoView?.({ behavior: 'smooth', block: 'center' });
        if (editor.isEditable) editor.chain().focus().setTextSelection({ from, to }).run();
        else if (dom?.classList) {
          dom.classList.add('report-mark-block');
          setTimeout(() => dom.classList.remove('report-mark-block'), 3000);
        }
        return true;
      },
    }),
    [editor],
  );

  if (!editor) return null;
  const empty = editor.isEmpty;
  return (
    <div className={`rich-editor${editable ? ' rich-editor-editable' : ''}`}>
      {editable && <Toolbar editor={editor} testId={testId} />}
      {editable && empty && placeholder && <div className="rich-placeholder">{placeholder}</div>}
      <div className="rich-scroll">
        <EditorContent editor={editor} />
      </div>
    </div>
  );
});
